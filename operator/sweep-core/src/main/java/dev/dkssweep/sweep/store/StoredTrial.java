package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;

/**
 * A trial as stored: what the reconciler needs to rebuild its view after a restart. {@code version}
 * must be passed back with the next transition; {@code failedAttempts} counts attempts that ended
 * Failed or Diverged.
 *
 * @param failureKind how the current attempt failed (null unless it did)
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
    FailureKind failureKind) {}
