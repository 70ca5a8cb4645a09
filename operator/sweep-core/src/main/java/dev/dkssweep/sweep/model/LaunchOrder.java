package dev.dkssweep.sweep.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.dkssweep.sweep.protocol.Codes;

/**
 * The order in which pending trials start: as listed, or the preflight's most trainable cells
 * first.
 */
public enum LaunchOrder {
  AS_LISTED("as-listed"),
  PREDICTED_TRAINABILITY("predicted-trainability");

  private final String code;

  LaunchOrder(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static LaunchOrder of(String text) {
    return Codes.parse(LaunchOrder.class, text, LaunchOrder::code, "launch order");
  }
}
