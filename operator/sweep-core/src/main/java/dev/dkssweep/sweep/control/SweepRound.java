package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.store.FinishedAttemptException;
import dev.dkssweep.sweep.store.NewEvent;
import dev.dkssweep.sweep.store.RejectedBatchException;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.Settlement;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One round of a sweep's control loop, the same for every driver: local mode calls it in its loop,
 * a reconciler once per event. A round
 *
 * <ol>
 *   <li>prepares the requested generation (validate, record, preflight: once per generation);
 *   <li>observes the store's trials and the executor's attempts;
 *   <li>settles what ended (records undelivered points, the summary and the attempt's outcome, then
 *       releases it) and stops attempts the store no longer runs;
 *   <li>plans with the {@link dev.dkssweep.sweep.planning.TrialPlanner} and applies the plan
 *       (launch, stop, skip, finish), or stops everything when the sweep is suspended;
 *   <li>returns the sweep's status as a value.
 * </ol>
 *
 * Level-triggered: everything a round needs is in the store and in what the executor sees, so the
 * same state gives the same actions, an exit seen twice is settled once, and a driver that
 * restarted carries on where the last one stopped. Transient errors (store, executor) are thrown;
 * an invalid document is a status with violations, never an exception.
 */
public final class SweepRound {

  private static final Logger LOG = Logger.getLogger(SweepRound.class.getName());

  private final ResultStore store;
  private final TrialExecutor executor;
  private final Generations generations;
  private final TrialLauncher launcher;
  private final KnownTrials known;
  private final Clock clock;

  public SweepRound(ResultStore store, TrialExecutor executor, LaunchSettings launch, Clock clock) {
    this(store, executor, launch, clock, SpecPolicy.NONE);
  }

  /** A round whose driver refuses what {@code policy} does, beyond the validator. */
  public SweepRound(
      ResultStore store,
      TrialExecutor executor,
      LaunchSettings launch,
      Clock clock,
      SpecPolicy policy) {
    this.store = store;
    this.executor = executor;
    this.generations = new Generations(store, new Preflight(), policy);
    this.launcher = new TrialLauncher(store, executor, launch);
    this.known = new KnownTrials(store);
    this.clock = clock;
  }

  public SweepStatus run(SweepRequest r) {
    Generations.Prepared prepared = generations.prepare(r);
    if (prepared.generation().isEmpty()) {
      return SweepStatuses.refused(r, prepared.violations());
    }
    Generation g = prepared.generation().get();
    StoredSweep sweep = store.sweep(r.uid()).orElseThrow();
    TrialTable trials = known.read(r.uid()); // what was written since the last round
    if (reopens(sweep, trials.list())) {
      long added = trials.list().stream().filter(t -> t.state() == TrialState.PENDING).count();
      store.sweepPhase(r.uid(), SweepPhase.RUNNING, EventReason.UPDATED);
      store.recordEvent(
          r.uid(),
          null,
          EventType.NORMAL,
          EventReason.UPDATED,
          "generation " + g.number() + " adds " + added + " trials: the sweep runs again");
      sweep = store.sweep(r.uid()).orElseThrow();
    }
    List<AttemptObservation> observed = executor.observe(r.uid());
    if (!settle(r.uid(), g, trials, observed).isEmpty()) {
      trials = known.read(r.uid());
    }
    Set<TrialKey> live =
        observed.stream()
            .filter(AttemptObservation::live)
            .map(AttemptObservation::key)
            .collect(Collectors.toSet());
    int deferred = 0;
    StoredSweep ended = sweep; // as the round leaves it: re-read only when the round moved it
    if (!sweep.finished()) {
      Set<Integer> changed;
      if (r.suspension().isPresent()) {
        changed = suspend(r.uid(), sweep, trials.list(), live, r.suspension().get());
        ended = store.sweep(r.uid()).orElseThrow();
      } else {
        RoundPlan plan =
            new RoundPlan(
                store,
                executor,
                launcher,
                clock,
                r,
                g,
                sweep,
                trials,
                live,
                launcher.launchesPerRound());
        changed = plan.apply();
        deferred = plan.deferred();
        ended = plan.finishes() ? store.sweep(r.uid()).orElseThrow() : plan.sweep();
      }
      if (!changed.isEmpty()) {
        trials = known.read(r.uid());
      }
    }
    List<AttemptObservation> after = executor.observe(r.uid());
    if (ended.finished() && after.isEmpty()) {
      known.forget(r.uid()); // quiet from now on: its rows are not kept for resyncs
    }
    return SweepStatuses.of(
        ended,
        g,
        trials.list(),
        prepared.violations(),
        (int) after.stream().filter(AttemptObservation::live).count(),
        (int) after.stream().filter(o -> o.state() == AttemptState.PENDING).count(),
        SweepStatuses.stuck(after),
        deferred);
  }

  /**
   * A sweep that completed because every trial had finished runs again when a later generation
   * added trials (appended axis values): they are pending in a finished sweep. One that ended early
   * (goal reached, budget, deadline, failures, deleted) stays ended.
   */
  private static boolean reopens(StoredSweep sweep, List<StoredTrial> trials) {
    return sweep.phase() == SweepPhase.COMPLETE
        && sweep.phaseReason() == EventReason.ALL_TRIALS_FINISHED
        && trials.stream().anyMatch(t -> t.state() == TrialState.PENDING);
  }

  /**
   * Prepares the requested generation (validate, record, preflight) without running a round: what a
   * driver shows before the first one.
   *
   * @throws InvalidSpecException with every violation when nothing of the sweep can run
   */
  public Generation prepare(SweepRequest r) {
    Generations.Prepared p = generations.prepare(r);
    return p.generation().orElseThrow(() -> new InvalidSpecException(p.violations()));
  }

  /** Drops what the round keeps of a sweep in memory (it was deleted). */
  public void forget(String uid) {
    generations.forget(uid);
    known.forget(uid);
  }

  /**
   * Records what ended and stops what the store no longer runs: an exited attempt's undelivered
   * points, then the summaries, outcomes, ends and outcome events of the round's exits together
   * ({@link ResultStore#settle}: one transaction), then the exited attempts are released (a failed
   * one retained when the sweep keeps failed workloads), never before their records are written; a
   * live attempt that is not its trial's running one (superseded, early-stopped, of a finished
   * sweep, unknown) is told to stop.
   *
   * @return the trials it wrote to
   */
  private Set<Integer> settle(
      String uid, Generation g, TrialTable trials, List<AttemptObservation> observed) {
    boolean keepFailed = g.definition().trainer().keepFailed();
    Set<Integer> changed = new HashSet<>();
    List<Settlement> settlements = new ArrayList<>();
    List<TrialKey> exits = new ArrayList<>();
    for (AttemptObservation o : observed) {
      if (o.state() == AttemptState.EXITED) {
        changed.add(o.key().trialIndex()); // its summary, outcome or end may be written
        exited(trials.get(o.key().trialIndex()), o.key(), o.exit(), settlements, exits);
      }
    }
    if (!settlements.isEmpty()) {
      // a failure (the store unreachable) is thrown: nothing of the exits is settled or released,
      // and the next round tries all of it again; the outcomes' events are written with them
      List<Settlement.Result> results = store.settle(uid, settlements);
      for (int i = 0; i < results.size(); i++) {
        settled(settlements.get(i), exits.get(i), results.get(i));
      }
    }
    for (AttemptObservation o : observed) {
      StoredTrial t = trials.get(o.key().trialIndex());
      boolean current =
          t != null && t.attempt() == o.key().attempt() && t.state() == TrialState.RUNNING;
      switch (o.state()) {
        case EXITED -> {
          if (keepFailed && ExitClassifier.classify(o.exit()).state() == TrialState.FAILED) {
            executor.retain(o.key()); // for inspection: trainer.cleanup.keepFailed
          } else {
            executor.release(o.key());
          }
        }
        case GONE -> executor.release(o.key()); // its running trial is relaunched as lost
        default -> {
          if (!current) {
            executor.stop(o.key());
          }
        }
      }
    }
    return changed;
  }

  /**
   * Prepares an exited attempt's settlement, once: its undelivered points are stored now, its
   * summary, outcome and end join the round's settlements (unless a later attempt owns the trial).
   */
  private void exited(
      StoredTrial t,
      TrialKey key,
      AttemptExit exit,
      List<Settlement> settlements,
      List<TrialKey> exits) {
    if (t != null && t.attempt() == key.attempt() && t.attemptEnded()) {
      return; // settled already (an exit seen again before its release took)
    }
    // a refusal is final and logged; any other failure (the store unreachable) is thrown
    for (MetricBatch batch : exit.undelivered()) {
      try {
        store.appendMetrics(batch);
      } catch (RejectedBatchException | FinishedAttemptException | IllegalArgumentException e) {
        LOG.warning("undelivered points of " + key + " refused: " + e.getMessage());
      }
    }
    if (t == null || t.attempt() != key.attempt()) {
      return; // superseded: a later attempt owns the trial's results
    }
    TrialTransition transition = null;
    NewEvent event = null;
    if (t.state() == TrialState.RUNNING) { // else early-stopped, stopped or finished already
      AttemptOutcome outcome = ExitClassifier.classify(exit);
      transition =
          new TrialTransition(
              t.version(),
              outcome.state(),
              t.attempt(),
              null,
              outcome.reason(),
              outcome.failureKind());
      event =
          new NewEvent(
              key.trialIndex(),
              outcome.eventType(),
              EventReason.of(outcome.state()),
              outcome.reason() == null
                  ? "attempt " + key.attempt() + " finished"
                  : outcome.reason());
    }
    settlements.add(
        new Settlement(t.trialIndex(), key.attempt(), exit.summary(), transition, event));
    exits.add(key);
  }

  /** Logs what a settlement could not write. */
  private static void settled(Settlement s, TrialKey key, Settlement.Result result) {
    if (s.summary() != null && result.summaryRefused()) {
      LOG.warning(
          "summary of "
              + key
              + " not recorded: its trial is not at that attempt, or the attempt had ended");
    }
    if (result.stale()) {
      LOG.warning("trial " + key.trial() + " changed meanwhile; the next round settles its exit");
    }
  }

  /**
   * Stops a suspended sweep: its running trials are recorded Stopped (they run again as new
   * attempts when it resumes) and their attempts told to stop; once none is alive the sweep is
   * Stopped.
   */
  private Set<Integer> suspend(
      String uid,
      StoredSweep sweep,
      List<StoredTrial> trials,
      Set<TrialKey> live,
      SweepRequest.Suspension s) {
    Set<Integer> changed = new HashSet<>();
    for (StoredTrial t : trials) {
      if (t.state() == TrialState.RUNNING) {
        changed.add(t.trialIndex());
        store.transition(
            uid,
            t.trialIndex(),
            new TrialTransition(
                t.version(), TrialState.STOPPED, t.attempt(), null, s.trialReason()));
        if (t.attempt() > 0) {
          executor.stop(new TrialKey(uid, t.trialIndex(), t.attempt()));
        }
      }
    }
    if (live.isEmpty() && sweep.phase() != SweepPhase.STOPPED) {
      store.sweepPhase(uid, SweepPhase.STOPPED, s.reason());
      store.recordEvent(uid, null, EventType.NORMAL, s.reason(), s.message());
    }
    return changed;
  }
}
