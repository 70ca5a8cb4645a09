package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;

/**
 * What an ended attempt means for its trial.
 *
 * @param failureKind how it failed (null unless {@code state} is Failed or Diverged)
 * @param reason the trial's failure reason, a plain sentence (null for a success)
 */
public record AttemptOutcome(
    TrialState state, FailureKind failureKind, String reason, EventType eventType) {}
