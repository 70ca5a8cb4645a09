package dev.dkssweep.sweep.planning;

import java.time.Instant;
import java.util.List;

/** The planner's input: the time, when the sweep started running, and every trial. */
public record Observation(Instant now, Instant startedAt, List<TrialView> trials) {

  public Observation {
    trials = List.copyOf(trials);
  }
}
