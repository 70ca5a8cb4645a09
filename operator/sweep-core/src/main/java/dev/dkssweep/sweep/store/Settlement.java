package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.protocol.TrialSummary;

/**
 * What settling one exited attempt writes ({@link ResultStore#settle}): its summary, its outcome,
 * then its end.
 *
 * @param trialIndex the attempt's trial
 * @param attempt the attempt, ended once settled
 * @param summary the attempt's summary, or null for none (recorded as {@link
 *     ResultStore#recordSummary} does)
 * @param outcome the trial's version-checked transition to the attempt's outcome, or null when the
 *     trial's state was already set (stopped or finished meanwhile)
 * @param event the outcome's event, or null for none: recorded with the outcome (in the same
 *     transaction where the store has them), and not at all when the outcome is stale
 */
public record Settlement(
    int trialIndex, int attempt, TrialSummary summary, TrialTransition outcome, NewEvent event) {

  /** A settlement whose outcome, if any, has no event. */
  public Settlement(int trialIndex, int attempt, TrialSummary summary, TrialTransition outcome) {
    this(trialIndex, attempt, summary, outcome, null);
  }

  /**
   * What became of a settlement.
   *
   * @param summaryRefused the summary was not recorded (no such trial or attempt, or the attempt
   *     had ended: then it is counted as a late write)
   * @param stale the trial was not at the outcome's expected version: neither the outcome nor the
   *     end was written
   */
  public record Result(boolean summaryRefused, boolean stale) {}
}
