package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.planning.SeedAggregate;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A sweep's status after a round, as a value: what the local console shows and what a reconciler
 * writes to the custom resource. Bounded whatever the number of trials.
 *
 * @param observedGeneration the generation the round ran (the last accepted one)
 * @param reason why it is in its phase (null when nothing in particular)
 * @param violations what is wrong with the requested generation (empty when it was accepted)
 * @param best the best finished trial so far
 * @param bestCell the best cell so far by its objective's mean over the seeds that succeeded
 * @param liveAttempts attempts the executor still runs for this sweep (stopping ones included)
 * @param queuedAttempts the live attempts still waiting to run (a pod not yet scheduled, a Job a
 *     queue holds)
 * @param stuck the pending attempts that cannot start by themselves (an image that cannot be
 *     pulled, a pod no node can take): how many, and why the first of them waits
 * @param deferredLaunches launches the planner asked for that the round left to the next one (its
 *     {@link LaunchSettings#launchesPerRound}): a driver runs the next round without waiting
 */
public record SweepStatus(
    String uid,
    long observedGeneration,
    SweepPhase phase,
    EventReason reason,
    List<SpecViolation> violations,
    TrialCounts counts,
    Optional<BestTrial> best,
    Optional<BestCell> bestCell,
    Instant startedAt,
    Instant finishedAt,
    int liveAttempts,
    int queuedAttempts,
    Optional<Stuck> stuck,
    int deferredLaunches) {

  public SweepStatus {
    violations = List.copyOf(violations);
    Objects.requireNonNull(stuck, "stuck");
  }

  /** Pending attempts that cannot start: how many, and why the first (by trial) waits. */
  public record Stuck(int attempts, int trialIndex, String why) {}

  /** The requested generation was accepted. */
  public boolean accepted() {
    return violations.isEmpty();
  }

  /** Nothing of the sweep runs any more. */
  public boolean settled() {
    return liveAttempts == 0;
  }

  /** The best cell by its mean objective over the seeds that succeeded (mean, std, n). */
  public record BestCell(Cell cell, SeedAggregate aggregate) {}

  /** The best finished trial: its objective, its trial and its cell. */
  public record BestTrial(int trialIndex, int cellIndex, String cellLabel, double objective) {}
}
