package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.SeedAggregate;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Builds a {@link SweepStatus} from what is stored: a pure function. */
final class SweepStatuses {

  private SweepStatuses() {}

  static SweepStatus of(
      StoredSweep sweep,
      Generation g,
      List<StoredTrial> trials,
      List<SpecViolation> violations,
      int liveAttempts,
      int queuedAttempts,
      Optional<SweepStatus.Stuck> stuck,
      int deferredLaunches) {
    return new SweepStatus(
        sweep.uid(),
        g.number(),
        sweep.phase(),
        sweep.phaseReason(),
        violations,
        TrialCounts.of(trials),
        best(g, trials),
        bestCell(g, trials),
        sweep.startedAt(),
        sweep.finishedAt(),
        liveAttempts,
        queuedAttempts,
        stuck,
        deferredLaunches);
  }

  /** A sweep whose first document was refused: nothing is recorded. */
  static SweepStatus refused(SweepRequest r, List<SpecViolation> violations) {
    return new SweepStatus(
        r.uid(),
        0,
        SweepPhase.PENDING,
        null,
        violations,
        TrialCounts.of(List.of()),
        Optional.empty(),
        Optional.empty(),
        null,
        null,
        0,
        0,
        Optional.empty(),
        0);
  }

  /**
   * The stuck attempts among {@code observed}: how many, and the first by trial with its reason.
   */
  static Optional<SweepStatus.Stuck> stuck(List<AttemptObservation> observed) {
    List<AttemptObservation> stuck =
        observed.stream()
            .filter(o -> o.waiting() != null)
            .sorted(Comparator.comparing(o -> o.key().trialIndex()))
            .toList();
    return stuck.isEmpty()
        ? Optional.empty()
        : Optional.of(
            new SweepStatus.Stuck(
                stuck.size(), stuck.get(0).key().trialIndex(), stuck.get(0).waiting()));
  }

  /**
   * The cell with the best mean objective over its succeeded seeds; the first by index among
   * equals.
   */
  static Optional<SweepStatus.BestCell> bestCell(Generation g, List<StoredTrial> trials) {
    SweepDefinition.Objective o = g.definition().objective();
    // every cell's seeds in index order, folded in one pass (no map of boxed values each round)
    SeedAggregate.Fold[] folds = new SeedAggregate.Fold[g.cells().size()];
    for (StoredTrial t : trials) {
      if (t.objective() != null && t.state() == TrialState.SUCCEEDED) {
        if (folds[t.cellIndex()] == null) {
          folds[t.cellIndex()] = new SeedAggregate.Fold();
        }
        folds[t.cellIndex()].add(t.objective());
      }
    }
    int best = -1;
    for (int c = 0; c < folds.length; c++) {
      if (folds[c] != null && (best < 0 || o.better(folds[c].mean(), folds[best].mean()))) {
        best = c;
      }
    }
    if (best < 0) {
      return Optional.empty();
    }
    SeedAggregate a = folds[best].aggregate(best, 0, 0);
    return Optional.of(new SweepStatus.BestCell(g.cells().get(best), a));
  }

  /** The best succeeded trial by the objective; the first by index among equals. */
  static Optional<SweepStatus.BestTrial> best(Generation g, List<StoredTrial> trials) {
    SweepDefinition.Objective o = g.definition().objective();
    StoredTrial best = null;
    for (StoredTrial t : trials) {
      if (t.objective() != null
          && t.state() == TrialState.SUCCEEDED
          && (best == null || o.better(t.objective(), best.objective()))) {
        best = t;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SweepStatus.BestTrial(
            best.trialIndex(),
            best.cellIndex(),
            g.cells().get(best.cellIndex()).label(),
            best.objective()));
  }
}
