package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The trial protocol's method, written in lower case on the wire. */
public enum Method {
  DKS("dks"),
  TAT("tat"),
  STANDARD("standard"),
  ORTHOGONAL("orthogonal");

  private final String code;

  Method(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static Method of(String text) {
    return Codes.parse(Method.class, text, Method::code, "method");
  }
}
