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
import dev.dkssweep.sweep.store.StaleVersionException;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    this.clock = clock;
  }

  public SweepStatus run(SweepRequest r) {
    Generations.Prepared prepared = generations.prepare(r);
    if (prepared.generation().isEmpty()) {
      return SweepStatuses.refused(r, prepared.violations());
    }
    Generation g = prepared.generation().get();
    StoredSweep sweep = store.sweep(r.uid()).orElseThrow();
    List<StoredTrial> trials = store.trials(r.uid()); // the round's one read of every trial
    if (reopens(sweep, trials)) {
      long added = trials.stream().filter(t -> t.state() == TrialState.PENDING).count();
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
    trials = reread(r.uid(), trials, settle(r.uid(), g, trials, observed));
    Set<TrialKey> live =
        observed.stream()
            .filter(AttemptObservation::live)
            .map(AttemptObservation::key)
            .collect(Collectors.toSet());
    if (!sweep.finished()) {
      Set<Integer> changed =
          r.suspension().isPresent()
              ? suspend(r.uid(), sweep, trials, live, r.suspension().get())
              : new RoundPlan(store, executor, launcher, clock, r, g, sweep, trials, live).apply();
      trials = reread(r.uid(), trials, changed);
    }
    List<AttemptObservation> after = executor.observe(r.uid());
    return SweepStatuses.of(
        store.sweep(r.uid()).orElseThrow(),
        g,
        trials,
        prepared.violations(),
        (int) after.stream().filter(AttemptObservation::live).count(),
        (int) after.stream().filter(o -> o.state() == AttemptState.PENDING).count(),
        SweepStatuses.stuck(after));
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
   * {@code trials} with the rows of {@code changed} read again from the store: what a round wrote
   * is seen as stored, without reading every trial of a large sweep again (what others wrote
   * meanwhile, such as a summary from ingest, the next round reads).
   */
  private List<StoredTrial> reread(String uid, List<StoredTrial> trials, Set<Integer> changed) {
    if (changed.isEmpty()) {
      return trials;
    }
    Map<Integer, StoredTrial> fresh = new HashMap<>();
    store.trials(uid, changed).forEach(t -> fresh.put(t.trialIndex(), t));
    List<StoredTrial> out = new ArrayList<>(trials.size());
    for (StoredTrial t : trials) {
      out.add(fresh.getOrDefault(t.trialIndex(), t));
    }
    return out;
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
  }

  /**
   * Records what ended and stops what the store no longer runs: an exited attempt's undelivered
   * points, its summary (if it is the trial's current attempt) and its outcome (if the trial still
   * runs that attempt), then the attempt is released (a failed one retained when the sweep keeps
   * failed workloads); a live attempt that is not its trial's running one (superseded,
   * early-stopped, of a finished sweep, unknown) is told to stop.
   *
   * @return the trials it wrote to
   */
  private Set<Integer> settle(
      String uid, Generation g, List<StoredTrial> trials, List<AttemptObservation> observed) {
    boolean keepFailed = g.definition().trainer().keepFailed();
    Map<Integer, StoredTrial> byIndex = new HashMap<>();
    trials.forEach(t -> byIndex.put(t.trialIndex(), t));
    Set<Integer> changed = new HashSet<>();
    List<NewEvent> events = new ArrayList<>();
    try {
      for (AttemptObservation o : observed) {
        settleOne(uid, keepFailed, byIndex.get(o.key().trialIndex()), o, events);
        if (o.state() == AttemptState.EXITED) {
          changed.add(o.key().trialIndex()); // its summary, outcome or end may have been written
        }
      }
    } finally {
      if (!events.isEmpty()) {
        store.recordEvents(uid, events); // the outcomes' events, one transaction for the round
      }
    }
    return changed;
  }

  /** Settles one observed attempt. */
  private void settleOne(
      String uid, boolean keepFailed, StoredTrial t, AttemptObservation o, List<NewEvent> events) {
    boolean current =
        t != null && t.attempt() == o.key().attempt() && t.state() == TrialState.RUNNING;
    switch (o.state()) {
      case EXITED -> {
        exited(uid, t, o.key(), o.exit(), events);
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

  /** Records an exited attempt: its undelivered points, summary, outcome and end, once. */
  private void exited(
      String uid, StoredTrial t, TrialKey key, AttemptExit exit, List<NewEvent> events) {
    if (t != null && t.attempt() == key.attempt() && t.attemptEnded()) {
      return; // settled already (an exit seen again before its release took)
    }
    // a refusal is final and logged; any other failure (the store unreachable) is thrown, so that
    // nothing of the exit is settled and the next round tries all of it again
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
    if (exit.summary() != null) {
      try {
        store.recordSummary(uid, exit.summary());
      } catch (RejectedBatchException | FinishedAttemptException | IllegalArgumentException e) {
        LOG.warning("summary of " + key + " not recorded: " + e.getMessage());
      }
    }
    if (t.state() != TrialState.RUNNING) {
      store.endAttempt(uid, t.trialIndex(), key.attempt());
      return; // already early-stopped, stopped or finished: the state was set then
    }
    AttemptOutcome outcome = ExitClassifier.classify(exit);
    try {
      store.transition(
          uid,
          t.trialIndex(),
          new TrialTransition(
              t.version(),
              outcome.state(),
              t.attempt(),
              null,
              outcome.reason(),
              outcome.failureKind()));
    } catch (StaleVersionException e) {
      LOG.warning("trial " + key.trial() + " changed meanwhile: " + e.getMessage());
      return;
    }
    store.endAttempt(uid, t.trialIndex(), key.attempt()); // its record is final from here on
    events.add(
        new NewEvent(
            t.trialIndex(),
            outcome.eventType(),
            EventReason.of(outcome.state()),
            outcome.reason() == null
                ? "attempt " + key.attempt() + " finished"
                : outcome.reason()));
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
