package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The trial protocol's schedule, written in lower case on the wire. */
public enum Schedule {
  CONSTANT("constant"),
  COSINE("cosine"),
  STEP("step");

  private final String code;

  Schedule(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static Schedule of(String text) {
    return Codes.parse(Schedule.class, text, Schedule::code, "schedule");
  }
}
