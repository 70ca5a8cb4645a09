package dev.dkssweep.store;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Metric ingest throughput into an embedded PostgreSQL with the real schema: {@code trials} trials
 * of one sweep, each receiving batches of {@code batch} points until {@code points} points in all,
 * through {@link JdbcResultStore#appendMetrics}.
 *
 * <pre>
 * java -cp "operator/sweep-operator/target/classes:$(cat cp.txt)" dev.dkssweep.store.IngestBench [points] [batch] [trials] [connections]
 * </pre>
 */
public final class IngestBench {

  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    int points = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int trials = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int connections = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(null)) {
      try (Connection c = db.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "INSERT INTO sweeps (uid, namespace, name, spec, objective_metric, objective_goal)"
                + " VALUES ('bench', 'default', 'bench', '{}', 'val_accuracy', 'maximize')");
        s.execute(
            "INSERT INTO cells (sweep_id, cell_index, method, activation, architecture, depth,"
                + " width, learning_rate, dataset) SELECT id, 0, 'dks', 'tanh', 'mlp', 50, 256,"
                + " 1e-4, 'fashion-mnist' FROM sweeps");
        s.execute(
            "INSERT INTO trials (sweep_id, cell_id, trial_index, seed, state, attempt) SELECT s.id,"
                + " c.id, i, i, 'Running', 1 FROM sweeps s JOIN cells c ON c.sweep_id = s.id,"
                + " generate_series(0, "
                + (trials - 1)
                + ") i");
      }
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      int perTrial = points / trials;
      // warm-up on a separate step range
      store.appendMetrics(batchOf("bench-0", 10_000_000, batch));
      long start = System.nanoTime();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(connections);
      List<java.util.concurrent.Future<Integer>> parts = new ArrayList<>();
      for (int w = 0; w < connections; w++) {
        int worker = w;
        parts.add(
            pool.submit(
                () -> {
                  int n = 0;
                  for (int from = 0; from < perTrial; from += batch) {
                    for (int t = worker; t < trials; t += connections) {
                      n +=
                          store
                              .appendMetrics(
                                  batchOf("bench-" + t, from, Math.min(batch, perTrial - from)))
                              .inserted();
                    }
                  }
                  return n;
                }));
      }
      int sent = 0;
      for (java.util.concurrent.Future<Integer> part : parts) {
        sent += part.get();
      }
      pool.shutdown();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "ingested %d points in batches of %d over %d trials with %d connection(s) in %.2f s:"
              + " %.0f points/s%n",
          sent,
          batch,
          trials,
          connections,
          seconds,
          sent / seconds);
      // the last batch of a trial starts at step lastFrom (batchOf's steps: from + i / 4)
      int lastFrom = (perTrial - 1) / batch * batch;
      planOfTheLastBatch(db, batchOf("bench-0", lastFrom, Math.min(batch, perTrial - lastFrom)));
      start = System.nanoTime();
      int again = 0;
      for (int t = 0; t < trials; t++) {
        again +=
            store.appendMetrics(batchOf("bench-" + t, 0, Math.min(batch, perTrial))).duplicates();
      }
      seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "re-sent %d points (all duplicates) at %.0f points/s%n",
          again,
          again / seconds);
    }
  }

  /**
   * What ingest's statement costs once {@code bench-0} holds all its points, for a re-send of its
   * last batch (whose chunks the lookup must find): the plan of ingest's statement itself ({@link
   * JdbcMetricIngest#explain}).
   */
  private static void planOfTheLastBatch(EmbeddedDatabase db, MetricBatch last) throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      long trialId;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM trials WHERE trial_index = 0")) {
        rs.next();
        trialId = rs.getLong(1);
      }
      System.out.printf(
          Locale.ROOT,
          "ingest of bench-0's last batch again (%d points, steps %d..%d):%n%s",
          last.points().size(),
          last.points().get(0).step(),
          last.points().get(last.points().size() - 1).step(),
          JdbcMetricIngest.explain(c, trialId, last).indent(2));
    }
  }

  private static MetricBatch batchOf(String trial, int from, int n) {
    List<MetricPoint> p = new ArrayList<>(n);
    String[] names = {"train_loss", "learning_rate", "val_loss", "val_accuracy"};
    for (int i = 0; i < n; i++) {
      int step = from + i / names.length;
      p.add(
          new MetricPoint(
              step,
              step / 400,
              names[i % names.length],
              1.0 / (step + 1),
              1_700_000_000_000L + step));
    }
    return new MetricBatch(trial, 1, p);
  }
}
