package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.lifecycle.TrialState;
import java.util.List;

/**
 * What the planner knows of one trial.
 *
 * @param attempt the current attempt (0 = never launched)
 * @param failedAttempts attempts that ended Failed (or Diverged)
 * @param alive for Running trials: the executor still has its process or pod
 * @param objective the reduced objective of the current attempt, if any value was reported
 * @param history the current attempt's objective values per epoch, in epoch order
 * @param permanent the trial failed in a way another attempt cannot change (the trainer refused its
 *     spec, exit 4): never retried
 */
public record TrialView(
    int index,
    int cellIndex,
    TrialState state,
    int attempt,
    int failedAttempts,
    boolean alive,
    Double objective,
    List<EpochValue> history,
    boolean permanent) {

  public TrialView {
    history = List.copyOf(history);
  }

  /** A trial whose failures, if any, may be retried. */
  public TrialView(
      int index,
      int cellIndex,
      TrialState state,
      int attempt,
      int failedAttempts,
      boolean alive,
      Double objective,
      List<EpochValue> history) {
    this(index, cellIndex, state, attempt, failedAttempts, alive, objective, history, false);
  }

  /** The latest epoch with a value, 0 when none. */
  public int latestEpoch() {
    return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
  }
}
