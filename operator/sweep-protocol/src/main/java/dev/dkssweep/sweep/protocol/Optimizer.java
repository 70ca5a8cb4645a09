package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The trial protocol's optimizer, written in lower case on the wire. */
public enum Optimizer {
  SGD("sgd"),
  MOMENTUM("momentum"),
  ADAM("adam");

  private final String code;

  Optimizer(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static Optimizer of(String text) {
    return Codes.parse(Optimizer.class, text, Optimizer::code, "optimizer");
  }
}
