package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import java.util.Objects;

/** An event to record: of the sweep ({@code trialIndex} null) or of one of its trials. */
public record NewEvent(Integer trialIndex, EventType type, EventReason reason, String message) {

  public NewEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
  }
}
