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

/**
 * Starts an attempt: its trial is recorded Running at the new attempt before the executor is asked
 * (so a driver that dies in between finds a Running trial with nothing alive, and relaunches it),
 * then the worker is recorded; an attempt that cannot start is Failed with the executor's reason.
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

  void launch(SweepRequest r, Generation g, StoredTrial t, TrialAction.Launch l) {
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
            l.attempt(),
            t.seed(),
            endpoint,
            endpoint == null ? null : settings.tokens().apply(id),
            null);
    long version =
        store.transition(
            r.uid(),
            t.trialIndex(),
            new TrialTransition(t.version(), TrialState.RUNNING, l.attempt(), "starting", null));
    String worker;
    try {
      worker =
          executor.launch(
              new TrialLaunch(spec, settings.threadsPerTrial(), g.definition().trainer()));
    } catch (RuntimeException e) {
      store.transition(
          r.uid(),
          t.trialIndex(),
          new TrialTransition(
              version,
              TrialState.FAILED,
              l.attempt(),
              null,
              "could not start: " + e.getMessage(),
              FailureKind.LAUNCH_FAILED));
      store.recordEvent(
          r.uid(), t.trialIndex(), EventType.WARNING, EventReason.LAUNCH_FAILED, e.getMessage());
      return;
    }
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
