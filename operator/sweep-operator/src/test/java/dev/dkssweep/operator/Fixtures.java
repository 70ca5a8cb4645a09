package dev.dkssweep.operator;

import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.TrialTransition;
import java.util.List;
import java.util.Map;

/** Fixture sweeps written through the real store, as the runner writes them. */
public final class Fixtures {

  private Fixtures() {}

  /**
   * A sweep of one small cell whose trials {@code 0..workers.length-1} run attempt 1 on the given
   * workers ({@code pid:<n>} in local mode, {@code pod/<ns>/<name>} in a cluster).
   */
  public static void runningSweep(
      ResultStore store, String uid, String namespace, String name, String... workers) {
    store.recordSweep(new NewSweep(uid, namespace, name, 1, "{}", "val_accuracy", Goal.MAXIMIZE));
    store.recordCells(uid, List.of(cell(0, "dks", 4, 0.01)));
    List<NewTrial> trials = new java.util.ArrayList<>();
    for (int i = 0; i < workers.length; i++) {
      trials.add(new NewTrial(i, 0, i + 1));
    }
    store.recordTrials(uid, trials);
    for (int i = 0; i < workers.length; i++) {
      store.transition(uid, i, new TrialTransition(0, TrialState.RUNNING, 1, workers[i], null));
    }
  }

  /** A feasible tanh MLP cell of width 64 on synthetic-clusters, without preflight documents. */
  public static NewCell cell(int index, String method, int depth, double learningRate) {
    return new NewCell(
        index,
        method,
        "tanh",
        "mlp",
        depth,
        64,
        learningRate,
        "synthetic-clusters",
        true,
        null,
        null,
        null);
  }

  /**
   * Runs attempt 1 of a recorded trial to Succeeded: worker {@code pid:<index>}, the points, and a
   * summary whose final and best val_accuracy is {@code objective}.
   */
  public static void succeed(
      ResultStore store,
      String uid,
      int index,
      double objective,
      List<MetricPoint> points,
      TrialSummary.InitCheck initCheck) {
    long v =
        store.transition(
            uid, index, new TrialTransition(0, TrialState.RUNNING, 1, "pid:" + index, null));
    if (!points.isEmpty()) {
      store.appendMetrics(new MetricBatch(uid + "-" + index, 1, points));
    }
    store.recordSummary(
        uid,
        new TrialSummary(
            uid + "-" + index,
            1,
            TrialStatus.SUCCEEDED,
            Map.of("val_accuracy", objective),
            Map.of("val_accuracy", objective),
            20,
            1,
            1,
            null,
            initCheck,
            null,
            0,
            "dense"));
    store.transition(uid, index, new TrialTransition(v, TrialState.SUCCEEDED, 1, null, null));
  }
}
