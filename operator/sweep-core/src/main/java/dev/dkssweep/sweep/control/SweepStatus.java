package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A sweep's status after a round, as a value: what the local console shows and what a reconciler
 * writes to the custom resource. Bounded whatever the number of trials.
 *
 * @param observedGeneration the generation the round ran (the last accepted one)
 * @param reason why it is in its phase (null when nothing in particular)
 * @param violations what is wrong with the requested generation (empty when it was accepted)
 * @param best the best finished trial so far
 * @param liveAttempts attempts the executor still runs for this sweep (stopping ones included)
 */
public record SweepStatus(
    String uid,
    long observedGeneration,
    SweepPhase phase,
    EventReason reason,
    List<SpecViolation> violations,
    TrialCounts counts,
    Optional<BestTrial> best,
    Instant startedAt,
    Instant finishedAt,
    int liveAttempts) {

  public SweepStatus {
    violations = List.copyOf(violations);
  }

  /** The requested generation was accepted. */
  public boolean accepted() {
    return violations.isEmpty();
  }

  /** Nothing of the sweep runs any more. */
  public boolean settled() {
    return liveAttempts == 0;
  }

  /** The best finished trial: its objective, its trial and its cell. */
  public record BestTrial(int trialIndex, int cellIndex, String cellLabel, double objective) {}
}
