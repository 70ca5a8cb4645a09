package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.planning.EpochValue;
import dev.dkssweep.sweep.planning.Observation;
import dev.dkssweep.sweep.planning.Plan;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.planning.TrialAction;
import dev.dkssweep.sweep.planning.TrialPlanner;
import dev.dkssweep.sweep.planning.TrialView;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.store.EpochPoint;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The planning half of a round for a sweep that runs: moves it to Running, builds the planner's
 * view of every trial, plans and applies the plan (launch, stop, skip, then finish).
 */
final class RoundPlan {

  private final ResultStore store;
  private final TrialExecutor executor;
  private final TrialLauncher launcher;
  private final Clock clock;
  private final SweepRequest request;
  private final Generation generation;
  private final TrialTable table;
  private final List<StoredTrial> trials;
  private final Set<TrialKey> live;
  private final int launchesPerRound;
  private StoredSweep sweep;
  private int deferred;
  private boolean finishes;

  RoundPlan(
      ResultStore store,
      TrialExecutor executor,
      TrialLauncher launcher,
      Clock clock,
      SweepRequest request,
      Generation generation,
      StoredSweep sweep,
      TrialTable trials,
      Set<TrialKey> live,
      int launchesPerRound) {
    this.store = store;
    this.executor = executor;
    this.launcher = launcher;
    this.clock = clock;
    this.request = request;
    this.generation = generation;
    this.sweep = sweep;
    this.table = trials;
    this.trials = trials.list();
    this.live = live;
    this.launchesPerRound = launchesPerRound;
  }

  /** The planner's launches that {@link #apply} left to the next round (the per-round cap). */
  int deferred() {
    return deferred;
  }

  /** {@link #apply} ended the sweep (its phase and finish time were written). */
  boolean finishes() {
    return finishes;
  }

  /** The sweep as last read (after {@link #apply} moved it to Running, as moved). */
  StoredSweep sweep() {
    return sweep;
  }

  /** Applies the plan; returns the trials it wrote to. */
  Set<Integer> apply() {
    Set<Integer> changed = new HashSet<>();
    String uid = request.uid();
    if (sweep.phase() == SweepPhase.PENDING || sweep.phase() == SweepPhase.STOPPED) {
      store.sweepPhase(
          uid,
          SweepPhase.RUNNING,
          sweep.phase() == SweepPhase.STOPPED ? EventReason.RESUMED : null);
      sweep = store.sweep(uid).orElseThrow();
    }
    List<TrialView> views = views();
    Plan plan =
        generation.definition().skipInfeasible() || generation.infeasibleCells() == 0
            ? new TrialPlanner(generation.policy(request.parallelism()))
                .plan(new Observation(clock.instant(), startedAt(), views))
            : infeasible(views);
    List<TrialLauncher.Start> starts = new ArrayList<>();
    for (TrialAction a : plan.actions()) {
      if (a instanceof TrialAction.Launch l) {
        if (starts.size() == launchesPerRound) {
          deferred++; // in the planner's order: the most wanted start first
          continue;
        }
        changed.add(l.trialIndex());
        starts.add(new TrialLauncher.Start(table.get(l.trialIndex()), l));
      } else if (a instanceof TrialAction.Stop s) {
        changed.add(s.trialIndex());
        StoredTrial t = table.get(s.trialIndex());
        store.transition(
            uid,
            t.trialIndex(),
            new TrialTransition(t.version(), s.outcome(), t.attempt(), null, s.reason()));
        executor.stop(new TrialKey(uid, t.trialIndex(), t.attempt()));
        store.recordEvent(
            uid, t.trialIndex(), EventType.NORMAL, EventReason.of(s.outcome()), s.reason());
      } else if (a instanceof TrialAction.Skip s) {
        changed.add(s.trialIndex());
        StoredTrial t = table.get(s.trialIndex());
        store.transition(
            uid,
            t.trialIndex(),
            new TrialTransition(t.version(), TrialState.SKIPPED, t.attempt(), null, s.reason()));
      }
    }
    if (!starts.isEmpty()) {
      launcher.launch(request, generation, starts);
    }
    finishes = plan.finish().isPresent();
    plan.finish()
        .ifPresent(
            f -> {
              store.sweepPhase(
                  uid, f.failed() ? SweepPhase.FAILED : SweepPhase.COMPLETE, f.reason());
              store.recordEvent(
                  uid,
                  null,
                  f.failed() ? EventType.WARNING : EventType.NORMAL,
                  f.reason(),
                  f.message());
            });
    return changed;
  }

  private Instant startedAt() {
    return sweep.startedAt() != null ? sweep.startedAt() : clock.instant();
  }

  /** With preflight.skipInfeasible false, a cell the preflight cannot shape fails the sweep. */
  private Plan infeasible(List<TrialView> views) {
    List<Preflight.CellResult> bad =
        generation.preflight().stream().filter(r -> !r.feasible()).toList();
    String message =
        bad.size()
            + (bad.size() == 1 ? " cell" : " cells")
            + " cannot be shaped and preflight.skipInfeasible is false (cell "
            + bad.get(0).cellIndex()
            + ": "
            + bad.get(0).reason()
            + ")";
    List<TrialAction> actions = new ArrayList<>();
    for (TrialView t : views) {
      if (t.state() == TrialState.RUNNING && t.alive()) {
        actions.add(
            new TrialAction.Stop(
                t.index(),
                TrialState.STOPPED,
                EventReason.INFEASIBLE_CELLS.code() + ": " + message));
      } else if (t.state() == TrialState.PENDING) {
        actions.add(
            new TrialAction.Skip(t.index(), EventReason.INFEASIBLE_CELLS.code() + ": " + message));
      }
    }
    actions.add(new TrialAction.Finish(true, EventReason.INFEASIBLE_CELLS, message));
    return new Plan(actions);
  }

  /**
   * The planner's view of every trial. The per-epoch histories are read only when an early-stopping
   * rule will judge a running trial: no other rule reads them, and a large sweep's histories are
   * the round's largest read.
   */
  private List<TrialView> views() {
    boolean[] alive = new boolean[trials.size()];
    boolean anyAlive = false;
    for (int i = 0; i < trials.size(); i++) {
      StoredTrial t = trials.get(i);
      alive[i] =
          t.state() == TrialState.RUNNING
              && t.attempt() > 0
              && live.contains(new TrialKey(request.uid(), t.trialIndex(), t.attempt()));
      anyAlive |= alive[i];
    }
    Map<Integer, List<EpochValue>> histories = new HashMap<>();
    if (anyAlive && generation.definition().earlyStopping().rule() != StoppingRule.NONE) {
      for (EpochPoint e :
          store.epochValues(request.uid(), generation.definition().objective().metric())) {
        histories
            .computeIfAbsent(e.trialIndex(), k -> new ArrayList<>())
            .add(new EpochValue(e.epoch(), e.value(), e.timeMillis()));
      }
    }
    List<TrialView> views = new ArrayList<>(trials.size());
    for (int i = 0; i < trials.size(); i++) {
      StoredTrial t = trials.get(i);
      views.add(
          new TrialView(
              t.trialIndex(),
              t.cellIndex(),
              t.state(),
              t.attempt(),
              t.failedAttempts(),
              alive[i],
              t.objective(),
              histories.getOrDefault(t.trialIndex(), List.of()),
              t.state() == TrialState.FAILED
                  && t.failureKind() != null
                  && t.failureKind().permanent()));
    }
    return views;
  }
}
