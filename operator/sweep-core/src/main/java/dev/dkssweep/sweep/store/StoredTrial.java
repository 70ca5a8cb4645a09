package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;

/**
 * A trial as stored: what the reconciler needs to rebuild its view after a restart. {@code version}
 * must be passed back with the next transition; {@code failedAttempts} counts attempts that ended
 * Failed or Diverged.
 *
 * @param failureKind how the current attempt failed (null unless it did)
 * @param endedAttempt the highest attempt whose end is recorded (0 for none): its record is final
 */
public record StoredTrial(
    int trialIndex,
    int cellIndex,
    long seed,
    TrialState state,
    int attempt,
    int failedAttempts,
    long version,
    String worker,
    Double objective,
    long pointCount,
    Long lastStep,
    String failureReason,
    FailureKind failureKind,
    int endedAttempt) {

  /** True once the end of the trial's current attempt is recorded. */
  public boolean attemptEnded() {
    return attempt > 0 && endedAttempt >= attempt;
  }
}
