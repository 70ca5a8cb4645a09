package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The trial protocol's architecture, written in lower case on the wire. */
public enum Architecture {
  MLP("mlp"),
  CNN("cnn"),
  RESNET_BN("resnet-bn");

  private final String code;

  Architecture(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static Architecture of(String text) {
    return Codes.parse(Architecture.class, text, Architecture::code, "architecture");
  }
}
