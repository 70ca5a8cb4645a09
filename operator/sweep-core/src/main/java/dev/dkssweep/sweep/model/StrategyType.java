package dev.dkssweep.sweep.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.dkssweep.sweep.protocol.Codes;

/** How the space becomes cells: every combination (grid) or a seeded random sample. */
public enum StrategyType {
  GRID("grid"),
  RANDOM("random");

  private final String code;

  StrategyType(String code) {
    this.code = code;
  }

  @JsonValue
  public String code() {
    return code;
  }

  @JsonCreator
  public static StrategyType of(String text) {
    return Codes.parse(StrategyType.class, text, StrategyType::code, "strategy type");
  }
}
