package dev.dkssweep.sweep.store;

/**
 * A change of a trial's state, applied only if the trial is still at {@code expectedVersion}.
 *
 * @param attempt the attempt number after the change (a launch or retry increments it)
 * @param worker the pod or process running it (null to keep)
 * @param failureReason set for Failed and Diverged (null to keep)
 */
public record TrialTransition(
    long expectedVersion, TrialState state, int attempt, String worker, String failureReason) {}
