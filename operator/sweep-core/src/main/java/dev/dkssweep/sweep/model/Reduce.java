package dev.dkssweep.sweep.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.dkssweep.sweep.protocol.Codes;

/**
 * How a trial's values of the objective metric become its objective: the best (max or min) or the
 * last.
 */
public enum Reduce {
  MAX("max"),
  MIN("min"),
  LAST("last");

  private final String code;

  Reduce(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static Reduce of(String text) {
    return Codes.parse(Reduce.class, text, Reduce::code, "reduce");
  }
}
