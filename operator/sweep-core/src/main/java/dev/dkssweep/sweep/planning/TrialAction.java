package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.TrialState;

/** What the planner asks the runner to do. */
public sealed interface TrialAction {

  /**
   * Start attempt {@code attempt} of a trial.
   *
   * @param reason why (first launch, retry, relaunch after an interruption)
   */
  record Launch(int trialIndex, int attempt, String reason) implements TrialAction {}

  /** Stop a running trial; it ends in {@code outcome} (EarlyStopped or Stopped). */
  record Stop(int trialIndex, TrialState outcome, String reason) implements TrialAction {}

  /** A pending trial that will not run. */
  record Skip(int trialIndex, String reason) implements TrialAction {}

  /** The sweep is over: Complete, or Failed when {@code failed}. */
  record Finish(boolean failed, EventReason reason, String message) implements TrialAction {}
}
