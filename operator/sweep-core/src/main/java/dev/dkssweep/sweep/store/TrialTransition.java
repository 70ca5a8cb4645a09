package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;

/**
 * A change of a trial's state, applied only if the trial is still at {@code expectedVersion}.
 *
 * @param attempt the attempt number after the change (a launch or retry increments it)
 * @param worker the pod or process running it (null to keep)
 * @param failureReason why it ended as it did (null to keep)
 * @param failureKind how it failed (null to keep)
 */
public record TrialTransition(
    long expectedVersion,
    TrialState state,
    int attempt,
    String worker,
    String failureReason,
    FailureKind failureKind) {

  /** A change that records no failure. */
  public TrialTransition(
      long expectedVersion, TrialState state, int attempt, String worker, String failureReason) {
    this(expectedVersion, state, attempt, worker, failureReason, null);
  }
}
