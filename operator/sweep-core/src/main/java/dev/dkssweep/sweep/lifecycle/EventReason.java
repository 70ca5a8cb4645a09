package dev.dkssweep.sweep.lifecycle;

/**
 * Why something happened to a sweep or a trial: the reason of an event and of a sweep's phase, in
 * Kubernetes' CamelCase (the values of events.reason and sweeps.phase_reason).
 */
public enum EventReason {
  /** The sweep, its cells and its trials were recorded. */
  CREATED("Created"),
  /** A stopped sweep runs again. */
  RESUMED("Resumed"),
  /** A later generation of the spec was accepted: its new cells and trials were recorded. */
  UPDATED("Updated"),
  /** A generation of the spec was refused; the sweep goes on with the one before. */
  INVALID_SPEC("InvalidSpec"),
  /** The user stopped a local run (Ctrl-C, SIGTERM); resumable. */
  INTERRUPTED("Interrupted"),
  /** An attempt was started. */
  LAUNCHED("Launched"),
  /** An attempt could not be started. */
  LAUNCH_FAILED("LaunchFailed"),
  SUCCEEDED("Succeeded"),
  DIVERGED("Diverged"),
  FAILED("Failed"),
  STOPPED("Stopped"),
  EARLY_STOPPED("EarlyStopped"),
  /** More trials failed for good than budget.maxFailedTrials: the sweep failed. */
  TOO_MANY_FAILED_TRIALS("TooManyFailedTrials"),
  /** A finished trial reached objective.target. */
  GOAL_REACHED("GoalReached"),
  /** budget.deadline passed. */
  DEADLINE_EXCEEDED("DeadlineExceeded"),
  /** Every trial ran. */
  ALL_TRIALS_FINISHED("AllTrialsFinished"),
  /** budget.maxTrials launches were made; the rest were skipped. */
  BUDGET_EXHAUSTED("BudgetExhausted"),
  /** The preflight could not shape some cells and preflight.skipInfeasible is false. */
  INFEASIBLE_CELLS("InfeasibleCells"),
  /** The sweep's resource was deleted: its trials were stopped, its data stays. */
  DELETED("Deleted"),
  /** The sweep's resource asked to stop (spec.suspend); it resumes when the flag is cleared. */
  SUSPENDED("Suspended");

  private final String code;

  EventReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The reason a trial's event gives for reaching {@code state}. */
  public static EventReason of(TrialState state) {
    return switch (state) {
      case SUCCEEDED -> SUCCEEDED;
      case DIVERGED -> DIVERGED;
      case FAILED -> FAILED;
      case STOPPED -> STOPPED;
      case EARLY_STOPPED -> EARLY_STOPPED;
      case PENDING, RUNNING, SKIPPED ->
          throw new IllegalArgumentException("no event reason for reaching " + state.column());
    };
  }

  public static EventReason ofCode(String value) {
    for (EventReason r : values()) {
      if (r.code.equals(value)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown event reason '" + value + "'");
  }
}
