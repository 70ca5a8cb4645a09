package dev.dkssweep.sweep.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.dkssweep.sweep.protocol.Codes;

/** Whether the objective metric is maximised or minimised. */
public enum Goal {
  MAXIMIZE("maximize"),
  MINIMIZE("minimize");

  private final String code;

  Goal(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static Goal of(String text) {
    return Codes.parse(Goal.class, text, Goal::code, "goal");
  }
}
