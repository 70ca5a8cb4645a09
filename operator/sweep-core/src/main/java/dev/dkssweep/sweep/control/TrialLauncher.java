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
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts an attempt: its trial is recorded Running at the new attempt before the executor is asked
 * (so a driver that dies in between finds a Running trial with nothing alive, and relaunches it),
 * then the worker is recorded; an attempt that cannot start is Failed with the executor's reason. A
 * round's launches go to the executor together, which may start them concurrently.
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

  /** Starts the attempts of one round: rows first, then the executor, then the workers. */
  void launch(SweepRequest r, Generation g, List<Start> starts) {
    List<TrialLaunch> launches = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
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
              endpoint == null ? null : settings.tokens().apply(id),
              null);
      versions.add(
          store.transition(
              r.uid(),
              t.trialIndex(),
              new TrialTransition(
                  t.version(), TrialState.RUNNING, s.action().attempt(), "starting", null)));
      launches.add(new TrialLaunch(spec, settings.threadsPerTrial(), g.definition().trainer()));
    }
    List<TrialExecutor.Launched> results = executor.launchAll(launches);
    for (int i = 0; i < starts.size(); i++) {
      recordLaunch(r, starts.get(i), versions.get(i), results.get(i));
    }
  }

  /** One attempt to start: the trial as stored and the planner's launch. */
  record Start(StoredTrial trial, TrialAction.Launch action) {}

  private void recordLaunch(SweepRequest r, Start s, long version, TrialExecutor.Launched result) {
    StoredTrial t = s.trial();
    TrialAction.Launch l = s.action();
    if (result.failure() != null) {
      String message = result.failure().getMessage();
      store.transition(
          r.uid(),
          t.trialIndex(),
          new TrialTransition(
              version,
              TrialState.FAILED,
              l.attempt(),
              null,
              "could not start: " + message,
              FailureKind.LAUNCH_FAILED));
      store.recordEvent(
          r.uid(), t.trialIndex(), EventType.WARNING, EventReason.LAUNCH_FAILED, message);
      return;
    }
    String worker = result.worker();
    store.transition(
        r.uid(),
        t.trialIndex(),
        new TrialTransition(version, TrialState.RUNNING, l.attempt(), worker, null));
    store.recordEvent(
        r.uid(),
        t.trialIndex(),
        EventType.NORMAL,
        EventReason.LAUNCHED,
        "attempt "
            + l.attempt()
            + " ("
            + worker
            + ")"
            + (l.reason() == null ? "" : ": " + l.reason()));
  }
}
