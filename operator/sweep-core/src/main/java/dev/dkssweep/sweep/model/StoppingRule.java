package dev.dkssweep.sweep.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.dkssweep.sweep.protocol.Codes;

/** Early stopping of running trials: none, the median rule or ASHA. */
public enum StoppingRule {
  NONE("none"),
  MEDIAN("median"),
  ASHA("asha");

  private final String code;

  StoppingRule(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static StoppingRule of(String text) {
    return Codes.parse(StoppingRule.class, text, StoppingRule::code, "early stopping rule");
  }
}
