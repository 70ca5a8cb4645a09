package dev.dkssweep.operator.run;

import dev.dkssweep.operator.execution.TrialExecutor;
import dev.dkssweep.operator.execution.TrialExit;
import dev.dkssweep.operator.execution.TrialLaunch;
import dev.dkssweep.operator.ingest.TrialTokens;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDocuments;
import dev.dkssweep.sweep.model.SweepSpec;
import dev.dkssweep.sweep.planning.EpochValue;
import dev.dkssweep.sweep.planning.LaunchOrders;
import dev.dkssweep.sweep.planning.Observation;
import dev.dkssweep.sweep.planning.Plan;
import dev.dkssweep.sweep.planning.PlannerPolicy;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.planning.TrialAction;
import dev.dkssweep.sweep.planning.TrialPlanner;
import dev.dkssweep.sweep.planning.TrialSpecs;
import dev.dkssweep.sweep.planning.TrialView;
import dev.dkssweep.sweep.protocol.ExitCode;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.EpochPoint;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StaleVersionException;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialState;
import dev.dkssweep.sweep.store.TrialTransition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Runs a sweep to the end with a {@link TrialExecutor}: records the sweep, its cells (with the
 * kernel preflight) and trials, then loops observe (store + executor) -> {@link TrialPlanner} ->
 * apply, until the planner finishes the sweep or the run is interrupted. Everything it knows is in
 * the store, so a new runner resumes where a killed one stopped. Framework-free: local mode drives
 * it from the command line; the same loop body is what a reconciler runs per event.
 */
public final class SweepRunner {

  private static final Logger LOG = Logger.getLogger(SweepRunner.class.getName());

  /** How a failure reason starts when the trainer refused the spec: retrying cannot help. */
  static final String INVALID_SPEC = "invalid trial spec: ";

  /** The outcome of a run. */
  public enum Outcome {
    COMPLETE,
    FAILED,
    INTERRUPTED
  }

  /** A sweep ready to run: its uid, resolved spec, cells and preflight. */
  public record Prepared(
      String uid,
      String namespace,
      String name,
      SweepSpec spec,
      List<Cell> cells,
      List<Preflight.CellResult> preflight,
      boolean resumed,
      StoredSweep stored) {}

  private final ResultStore store;
  private final TrialExecutor executor;
  private final TrialTokens tokens;
  private final String endpoint;
  private final Clock clock;
  private final int threadsPerTrial;
  private final long pollMillis;

  /**
   * @param endpoint the ingest base URL trainers post to ({@code http://host:port/api/ingest})
   * @param threadsPerTrial each trainer's thread budget
   */
  public SweepRunner(
      ResultStore store,
      TrialExecutor executor,
      TrialTokens tokens,
      String endpoint,
      Clock clock,
      int threadsPerTrial,
      long pollMillis) {
    this.store = store;
    this.executor = executor;
    this.tokens = tokens;
    this.endpoint = endpoint;
    this.clock = clock;
    this.threadsPerTrial = threadsPerTrial;
    this.pollMillis = pollMillis;
  }

  /** Expands and preflights a new sweep and records it with its cells and trials. */
  public Prepared create(SweepDocuments.SweepDocument doc) {
    SweepSpec spec = doc.spec().resolved();
    List<Cell> cells = CellExpander.expand(spec);
    List<Preflight.CellResult> preflight = new Preflight().run(spec, cells);
    String uid = UUID.randomUUID().toString();
    store.recordSweep(
        new NewSweep(
            uid,
            doc.namespace(),
            doc.name(),
            1,
            SweepDocuments.toJson(spec),
            spec.objective().metric(),
            spec.objective().goal().code()));
    List<NewCell> newCells = new ArrayList<>();
    for (Cell c : cells) {
      Preflight.CellResult r = preflight.get(c.index());
      newCells.add(
          new NewCell(
              c.index(),
              c.arm(),
              c.activation(),
              c.architecture().code(),
              c.depth(),
              c.width(),
              c.learningRate(),
              c.dataset(),
              r.feasible(),
              r.reason(),
              r.transform() == null ? null : ProtocolJson.write(r.transform()),
              r.diagnostics() == null ? null : ProtocolJson.write(r.diagnostics())));
    }
    store.recordCells(uid, newCells);
    int seeds = spec.space().seeds();
    List<NewTrial> trials = new ArrayList<>();
    for (Cell c : cells) {
      for (int s = 0; s < seeds; s++) {
        trials.add(
            new NewTrial(
                LaunchOrders.trialIndex(c.index(), s, seeds), c.index(), LaunchOrders.seed(s)));
      }
    }
    store.recordTrials(uid, trials);
    for (StoredTrial t : store.trials(uid)) {
      Preflight.CellResult r = preflight.get(t.cellIndex());
      if (!r.feasible()) {
        store.transition(
            uid,
            t.trialIndex(),
            new TrialTransition(t.version(), TrialState.SKIPPED, 0, null, r.reason()));
      }
    }
    store.recordEvent(
        uid, null, "Normal", "Created", cells.size() + " cells, " + trials.size() + " trials");
    return new Prepared(
        uid,
        doc.namespace(),
        doc.name(),
        spec,
        cells,
        preflight,
        false,
        store.sweep(uid).orElseThrow());
  }

  /** Rebuilds a recorded sweep from the store (its stored spec; cells re-expanded identically). */
  public Prepared resume(StoredSweep stored) {
    SweepSpec spec = SweepDocuments.fromJson(stored.specJson());
    List<Cell> cells = CellExpander.expand(spec);
    List<Preflight.CellResult> preflight = new Preflight().run(spec, cells);
    return new Prepared(
        stored.uid(), stored.namespace(), stored.name(), spec, cells, preflight, true, stored);
  }

  /**
   * Runs until the sweep finishes or {@code interrupt} is set; on interruption every running trial
   * is stopped (its points and summary kept) and the sweep is left Stopped, resumable.
   *
   * @param progress called after every planning round
   */
  public Outcome run(Prepared p, AtomicBoolean interrupt, Consumer<Progress> progress) {
    store.sweepPhase(p.uid(), "Running", p.resumed() ? "Resumed" : null);
    Instant startedAt = store.sweep(p.uid()).orElseThrow().startedAt();
    int seeds = p.spec().space().seeds();
    List<Integer> order =
        LaunchOrders.of(p.cells(), p.preflight(), seeds, p.spec().strategy().order());
    TrialPlanner planner = new TrialPlanner(PlannerPolicy.of(p.spec(), order));
    while (true) {
      for (TrialExit exit : executor.drainExits()) {
        onExit(p, exit);
      }
      if (interrupt.get()) {
        return interrupted(p);
      }
      List<StoredTrial> trials = store.trials(p.uid());
      List<TrialView> views = views(p, trials);
      Plan plan = planner.plan(new Observation(clock.instant(), startedAt, views));
      Map<Integer, StoredTrial> byIndex = new HashMap<>();
      trials.forEach(t -> byIndex.put(t.trialIndex(), t));
      for (TrialAction a : plan.actions()) {
        apply(p, a, byIndex);
      }
      progress.accept(Progress.of(p, store.trials(p.uid()), startedAt, clock.instant()));
      if (plan.finish().isPresent()) {
        TrialAction.Finish f = plan.finish().get();
        awaitStopped(p);
        store.sweepPhase(p.uid(), f.failed() ? "Failed" : "Complete", f.reason());
        store.recordEvent(
            p.uid(), null, f.failed() ? "Warning" : "Normal", f.reason(), f.message());
        return f.failed() ? Outcome.FAILED : Outcome.COMPLETE;
      }
      sleep(pollMillis);
    }
  }

  private List<TrialView> views(Prepared p, List<StoredTrial> trials) {
    Map<Integer, List<EpochValue>> histories = new HashMap<>();
    for (EpochPoint e : store.epochValues(p.uid(), p.spec().objective().metric())) {
      histories
          .computeIfAbsent(e.trialIndex(), k -> new ArrayList<>())
          .add(new EpochValue(e.epoch(), e.value(), e.timeMillis()));
    }
    List<TrialView> views = new ArrayList<>(trials.size());
    for (StoredTrial t : trials) {
      boolean alive =
          t.state() == TrialState.RUNNING && executor.alive(t.trialIndex(), t.attempt());
      views.add(
          new TrialView(
              t.trialIndex(),
              t.cellIndex(),
              t.state(),
              t.attempt(),
              t.failedAttempts(),
              alive,
              t.objective(),
              histories.getOrDefault(t.trialIndex(), List.of()),
              t.state() == TrialState.FAILED
                  && t.failureReason() != null
                  && t.failureReason().startsWith(INVALID_SPEC)));
    }
    return views;
  }

  private void apply(Prepared p, TrialAction action, Map<Integer, StoredTrial> trials) {
    if (action instanceof TrialAction.Launch l) {
      launch(p, l, trials.get(l.trialIndex()));
    } else if (action instanceof TrialAction.Stop s) {
      StoredTrial t = trials.get(s.trialIndex());
      transition(p, t, s.outcome(), t.attempt(), null, s.reason());
      executor.stop(t.trialIndex(), t.attempt());
      store.recordEvent(p.uid(), t.trialIndex(), "Normal", s.outcome().column(), s.reason());
    } else if (action instanceof TrialAction.Skip s) {
      StoredTrial t = trials.get(s.trialIndex());
      transition(p, t, TrialState.SKIPPED, t.attempt(), null, s.reason());
    }
    // Finish is handled by the loop once every other action is applied
  }

  private void launch(Prepared p, TrialAction.Launch l, StoredTrial t) {
    Cell cell = p.cells().get(t.cellIndex());
    TrialSpec.SweepRef ref = new TrialSpec.SweepRef(p.namespace(), p.name(), p.uid());
    String trialId = p.uid() + "-" + t.trialIndex();
    TrialSpec spec =
        TrialSpecs.of(
            p.spec(),
            ref,
            cell,
            t.trialIndex(),
            l.attempt(),
            t.seed(),
            endpoint,
            endpoint == null ? null : tokens.token(trialId),
            null);
    long version = transition(p, t, TrialState.RUNNING, l.attempt(), "starting", null);
    String worker;
    try {
      worker = executor.launch(new TrialLaunch(spec, threadsPerTrial));
    } catch (RuntimeException e) {
      store.transition(
          p.uid(),
          t.trialIndex(),
          new TrialTransition(
              version, TrialState.FAILED, l.attempt(), null, "could not start: " + e.getMessage()));
      store.recordEvent(p.uid(), t.trialIndex(), "Warning", "LaunchFailed", e.getMessage());
      return;
    }
    store.transition(
        p.uid(),
        t.trialIndex(),
        new TrialTransition(version, TrialState.RUNNING, l.attempt(), worker, null));
    store.recordEvent(
        p.uid(),
        t.trialIndex(),
        "Normal",
        "Launched",
        "attempt "
            + l.attempt()
            + " ("
            + worker
            + ")"
            + (l.reason() == null ? "" : ": " + l.reason()));
  }

  private long transition(
      Prepared p, StoredTrial t, TrialState state, int attempt, String worker, String reason) {
    return store.transition(
        p.uid(), t.trialIndex(), new TrialTransition(t.version(), state, attempt, worker, reason));
  }

  /** Records how an attempt ended: its summary, any points it could not deliver, its state. */
  private void onExit(Prepared p, TrialExit exit) {
    StoredTrial t =
        store.trials(p.uid()).stream()
            .filter(x -> x.trialIndex() == exit.trialIndex())
            .findFirst()
            .orElseThrow();
    for (MetricBatch batch : exit.undelivered()) {
      try {
        store.appendMetrics(batch);
      } catch (RuntimeException e) {
        LOG.warning(
            "undelivered points of trial " + exit.trialIndex() + " refused: " + e.getMessage());
      }
    }
    if (exit.summary() != null && t.attempt() == exit.attempt()) {
      try {
        store.recordSummary(p.uid(), exit.summary());
      } catch (RuntimeException e) {
        LOG.warning("summary of trial " + exit.trialIndex() + " not recorded: " + e.getMessage());
      }
    }
    if (t.attempt() != exit.attempt() || t.state() != TrialState.RUNNING) {
      return; // already early-stopped, stopped or superseded: the state was set then
    }
    TrialState state;
    String reason = null;
    TrialSummary s = exit.summary();
    if (exit.exitCode() == ExitCode.SUCCEEDED.code()) {
      state = TrialState.SUCCEEDED;
    } else if (exit.exitCode() == ExitCode.DIVERGED.code()) {
      state = TrialState.DIVERGED;
      reason = s != null && s.errorMessage() != null ? s.errorMessage() : "non-finite loss";
    } else if (exit.exitCode() == ExitCode.STOPPED.code()) {
      state = TrialState.STOPPED;
      reason = "stopped from outside the runner (SIGTERM)";
    } else {
      state = TrialState.FAILED;
      reason =
          (exit.exitCode() == ExitCode.INVALID_SPEC.code() ? INVALID_SPEC : "")
              + "exit code "
              + exit.exitCode()
              + ": "
              + (s != null && s.errorMessage() != null
                  ? s.errorMessage()
                  : lastLine(exit.logTail()));
    }
    try {
      store.transition(
          p.uid(),
          t.trialIndex(),
          new TrialTransition(t.version(), state, t.attempt(), null, reason));
    } catch (StaleVersionException e) {
      LOG.warning("trial " + t.trialIndex() + " changed meanwhile: " + e.getMessage());
      return;
    }
    store.recordEvent(
        p.uid(),
        t.trialIndex(),
        state == TrialState.FAILED ? "Warning" : "Normal",
        state.column(),
        reason == null ? "attempt " + exit.attempt() + " finished" : reason);
  }

  private static String lastLine(String tail) {
    if (tail == null || tail.isBlank()) {
      return "no output";
    }
    String[] lines = tail.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].contains("error") || lines[i].contains("Exception")) {
        return lines[i].strip();
      }
    }
    return lines[lines.length - 1].strip();
  }

  private Outcome interrupted(Prepared p) {
    executor.stopAll(15_000);
    for (TrialExit exit : executor.drainExits()) {
      onExit(p, exit);
    }
    for (StoredTrial t : store.trials(p.uid())) {
      if (t.state() == TrialState.RUNNING) {
        store.transition(
            p.uid(),
            t.trialIndex(),
            new TrialTransition(
                t.version(), TrialState.STOPPED, t.attempt(), null, "interrupted (Ctrl-C)"));
      }
    }
    store.sweepPhase(p.uid(), "Stopped", "Interrupted");
    store.recordEvent(p.uid(), null, "Normal", "Interrupted", "stopped by the user; resumable");
    return Outcome.INTERRUPTED;
  }

  /** Waits for trials told to stop to exit, so their summaries are recorded before the end. */
  private void awaitStopped(Prepared p) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (executor.running() > 0 && System.currentTimeMillis() < deadline) {
      sleep(100);
    }
    for (TrialExit exit : executor.drainExits()) {
      onExit(p, exit);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
