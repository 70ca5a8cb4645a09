package dev.dkssweep.dashboard.query;

import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * p50/p95 of every dashboard query on a generated sweep of 10^4 trials (4 methods x 5 activations x
 * 5 depths x 5 learning rates x 20 seeds) and 10^6 metric points (100 per trial), in an embedded
 * PostgreSQL 14 with default settings. See docs/benchmarks.md for the command.
 */
public final class QueryBench {

  private QueryBench() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    // optional: a dks-sweep home directory to keep the fixture in (for `dks-sweep serve
    // --data-dir`)
    java.nio.file.Path home = args.length > 1 ? java.nio.file.Path.of(args[1]) : null;
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(home == null ? null : home.resolve("postgres"))) {
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      if (store.sweep("bench").isEmpty()) {
        long t0 = System.nanoTime();
        generate(store, db);
        System.out.printf(Locale.ROOT, "generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      }
      DashboardQueries q = new DashboardQueries(db.dataSource());
      time("sweeps list", reps, () -> q.sweeps(null, 50));
      time(
          "trials: first page by objective",
          reps,
          () -> q.trials("bench", new TrialFilter(null, null, null, "objective", true, 0, 50)));
      time(
          "trials: filtered, by duration, page 40",
          reps,
          () ->
              q.trials(
                  "bench", new TrialFilter("Succeeded", "dks", null, "duration", false, 2000, 50)));
      time(
          "curves of one trial (2 metrics)",
          reps,
          () -> q.curves("bench", 4321, List.of("train_loss", "val_accuracy")));
      time("heatmap (one method, one activation)", reps, () -> q.cells("bench", "tat", "softplus"));
      time("cells, all", reps, () -> q.cells("bench", null, null));
      time("paper table", reps, () -> q.paperTable("bench"));
    }
  }

  private static void generate(JdbcResultStore store, EmbeddedDatabase db) throws Exception {
    String[] methods = {"dks", "tat", "standard", "orthogonal"};
    String[] activations = {"tanh", "softplus", "sigmoid", "leaky_relu", "gelu"};
    int[] depths = {5, 10, 20, 50, 100};
    double[] rates = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2};
    store.recordSweep(
        new NewSweep("bench", "default", "bench", 1, "{}", "val_accuracy", Goal.MAXIMIZE));
    List<NewCell> cells = new ArrayList<>();
    List<NewTrial> trials = new ArrayList<>();
    int cell = 0;
    for (String m : methods) {
      for (String a : activations) {
        for (int d : depths) {
          for (double lr : rates) {
            cells.add(
                new NewCell(
                    cell, m, a, "mlp", d, 256, lr, "fashion-mnist", true, null, null, null));
            for (int seed = 0; seed < 20; seed++) {
              trials.add(new NewTrial(trials.size(), cell, seed));
            }
            cell++;
          }
        }
      }
    }
    store.recordCells("bench", cells);
    store.recordTrials("bench", trials);
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "UPDATE trials SET state = CASE WHEN trial_index % 50 = 7 THEN 'Failed' ELSE 'Succeeded' END,"
              + " attempt = 1, objective = CASE WHEN trial_index % 50 = 7 THEN NULL ELSE random() END,"
              + " started_at = now() - interval '1 hour',"
              + " finished_at = now() - (trial_index % 997) * interval '1 second'");
    }
    for (NewTrial t : trials) {
      List<MetricPoint> points = new ArrayList<>(100);
      for (int step = 0; step < 50; step++) {
        points.add(new MetricPoint(step * 10, step / 10, "train_loss", 2.0 / (step + 1), 0));
        points.add(new MetricPoint(step * 10, step / 10, "val_accuracy", step / 50.0, 0));
      }
      store.appendMetrics(new MetricBatch("bench-" + t.trialIndex(), 1, points));
    }
  }

  private static void time(String name, int reps, Supplier<Object> query) {
    for (int i = 0; i < 5; i++) {
      query.get();
    }
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t = System.nanoTime();
      query.get();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "| %s | %.2f | %.2f |%n",
        name,
        ms[reps / 2],
        ms[(int) Math.ceil(reps * 0.95) - 1]);
  }
}
