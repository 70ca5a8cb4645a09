package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.planning.TrialAction;
import dev.dkssweep.sweep.planning.TrialSpecs;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.store.IndexedTransition;
import dev.dkssweep.sweep.store.NewEvent;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts an attempt: its trial is recorded Running at the new attempt before the executor is asked
 * (so a driver that dies in between finds a Running trial with nothing alive, and relaunches it),
 * then the worker is recorded; an attempt that cannot start is Failed with the executor's reason. A
 * round's launches go to the executor together, which may start them concurrently; the store's rows
 * of a wave, with their Launched events, are written in one transaction before and one after. When
 * the executor names the workers in advance (a Job's name), the rows before carry them, and the one
 * after is written only for launches that failed.
 */
final class TrialLauncher {

  private final ResultStore store;
  private final TrialExecutor executor;
  private final LaunchSettings settings;

  TrialLauncher(ResultStore store, TrialExecutor executor, LaunchSettings settings) {
    this.store = store;
    this.executor = executor;
    this.settings = settings;
  }

  /** The most attempts one round starts. */
  int launchesPerRound() {
    return settings.launchesPerRound();
  }

  /**
   * Starts the attempts of one round: rows and their Launched events first (one transaction), then
   * the executor, then the workers and the failures with their events (one transaction).
   */
  void launch(SweepRequest r, Generation g, List<Start> starts) {
    if (starts.isEmpty()) {
      return;
    }
    List<TrialLaunch> launches = new ArrayList<>();
    List<IndexedTransition> starting = new ArrayList<>();
    List<String> plannedWorkers = new ArrayList<>();
    List<NewEvent> launchedEvents = new ArrayList<>();
    for (Start s : starts) {
      StoredTrial t = s.trial();
      Cell cell = g.cells().get(t.cellIndex());
      TrialSpec.SweepRef ref = new TrialSpec.SweepRef(r.namespace(), r.name(), r.uid());
      TrialId id = new TrialId(r.uid(), t.trialIndex());
      String endpoint = settings.endpoint();
      TrialSpec spec =
          TrialSpecs.of(
              g.definition(),
              ref,
              cell,
              t.trialIndex(),
              s.action().attempt(),
              t.seed(),
              endpoint,
              endpoint == null ? null : settings.tokens().apply(id.attempt(s.action().attempt())),
              null);
      TrialLaunch launch =
          new TrialLaunch(spec, settings.threadsPerTrial(), g.definition().trainer());
      String planned = executor.plannedWorker(launch);
      plannedWorkers.add(planned);
      starting.add(
          new IndexedTransition(
              t.trialIndex(),
              new TrialTransition(
                  t.version(),
                  TrialState.RUNNING,
                  s.action().attempt(),
                  planned == null ? "starting" : planned,
                  null)));
      launches.add(launch);
      launchedEvents.add(
          new NewEvent(
              t.trialIndex(),
              EventType.NORMAL,
              EventReason.LAUNCHED,
              "attempt "
                  + s.action().attempt()
                  + (planned == null ? "" : " (" + planned + ")")
                  + (s.action().reason() == null ? "" : ": " + s.action().reason())));
    }
    // the rows and their Launched events together: a driver killed after this has both, so every
    // attempt a trial's row counts has its event, whether or not the executor got to start it
    List<Long> versions = store.transitions(r.uid(), starting, launchedEvents);
    List<TrialExecutor.Launched> results = executor.launchAll(launches);
    List<IndexedTransition> launched = new ArrayList<>();
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      recordLaunch(
          starts.get(i), versions.get(i), plannedWorkers.get(i), results.get(i), launched, events);
    }
    if (!launched.isEmpty()) {
      store.transitions(r.uid(), launched, events);
    }
  }

  /** One attempt to start: the trial as stored and the planner's launch. */
  record Start(StoredTrial trial, TrialAction.Launch action) {}

  /**
   * The attempt's row after the executor's answer: its worker unless recorded already, or Failed
   * with a LaunchFailed event.
   */
  private static void recordLaunch(
      Start s,
      long version,
      String planned,
      TrialExecutor.Launched result,
      List<IndexedTransition> transitions,
      List<NewEvent> events) {
    StoredTrial t = s.trial();
    TrialAction.Launch l = s.action();
    if (result.failure() != null) {
      String message = result.failure().getMessage();
      transitions.add(
          new IndexedTransition(
              t.trialIndex(),
              new TrialTransition(
                  version,
                  TrialState.FAILED,
                  l.attempt(),
                  null,
                  "could not start: " + message,
                  FailureKind.LAUNCH_FAILED)));
      events.add(
          new NewEvent(t.trialIndex(), EventType.WARNING, EventReason.LAUNCH_FAILED, message));
      return;
    }
    String worker = result.worker();
    if (!worker.equals(planned)) {
      transitions.add(
          new IndexedTransition(
              t.trialIndex(),
              new TrialTransition(version, TrialState.RUNNING, l.attempt(), worker, null)));
    }
  }
}
