package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The trial protocol's status, written in lower case on the wire. */
public enum TrialStatus {
  SUCCEEDED("succeeded"),
  DIVERGED("diverged"),
  FAILED("failed"),
  STOPPED("stopped");

  private final String code;

  TrialStatus(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static TrialStatus of(String text) {
    return Codes.parse(TrialStatus.class, text, TrialStatus::code, "status");
  }
}
