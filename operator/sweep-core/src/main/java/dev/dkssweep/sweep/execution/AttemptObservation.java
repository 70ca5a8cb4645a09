package dev.dkssweep.sweep.execution;

import dev.dkssweep.sweep.protocol.TrialKey;
import java.util.Objects;

/**
 * One attempt as its executor sees it.
 *
 * @param worker the process id or pod name
 * @param exit how it ended: present exactly when {@code state} is {@link AttemptState#EXITED}
 */
public record AttemptObservation(
    TrialKey key, AttemptState state, String worker, AttemptExit exit) {

  public AttemptObservation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    if ((state == AttemptState.EXITED) != (exit != null)) {
      throw new IllegalArgumentException("an exit goes with state EXITED, and only with it");
    }
  }

  /** True while the attempt is pending or running: it holds (or waits for) its resources. */
  public boolean live() {
    return state == AttemptState.PENDING || state == AttemptState.RUNNING;
  }
}
