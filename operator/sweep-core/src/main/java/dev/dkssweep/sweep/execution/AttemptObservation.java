package dev.dkssweep.sweep.execution;

import dev.dkssweep.sweep.protocol.TrialKey;
import java.util.Objects;

/**
 * One attempt as its executor sees it.
 *
 * @param worker the process id or pod name
 * @param exit how it ended: present exactly when {@code state} is {@link AttemptState#EXITED}
 * @param waiting why a pending attempt cannot start and will not by itself (its image cannot be
 *     pulled, no node can take it), in a few words; null when nothing is known to be wrong. Only a
 *     pending attempt has one.
 */
public record AttemptObservation(
    TrialKey key, AttemptState state, String worker, AttemptExit exit, String waiting) {

  public AttemptObservation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(state, "state");
    if ((state == AttemptState.EXITED) != (exit != null)) {
      throw new IllegalArgumentException("an exit goes with state EXITED, and only with it");
    }
    if (waiting != null && state != AttemptState.PENDING) {
      throw new IllegalArgumentException("only a pending attempt waits on a problem");
    }
  }

  /** An attempt with nothing known to be wrong. */
  public AttemptObservation(TrialKey key, AttemptState state, String worker, AttemptExit exit) {
    this(key, state, worker, exit, null);
  }

  /** A pending attempt that cannot start, and why. */
  public static AttemptObservation stuck(TrialKey key, String worker, String why) {
    return new AttemptObservation(
        key, AttemptState.PENDING, worker, null, Objects.requireNonNull(why, "why"));
  }

  /** True while the attempt is pending or running: it holds (or waits for) its resources. */
  public boolean live() {
    return state == AttemptState.PENDING || state == AttemptState.RUNNING;
  }
}
