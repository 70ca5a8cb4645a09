package dev.dkssweep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.store.IngestResult;
import dev.dkssweep.sweep.store.NewEvent;
import dev.dkssweep.sweep.store.RejectedBatchException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metric ingest against a real PostgreSQL with the real migrations. */
class JdbcResultStoreIT {

  private static EmbeddedDatabase db;
  private static DataSource ds;
  private static JdbcResultStore store;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedDatabase.start(null);
    ds = db.dataSource();
    store = new JdbcResultStore(ds);
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @BeforeEach
  void fixture() throws SQLException {
    fixture(ds);
  }

  /** Sweep "sw-1" with one cell and trials 0 and 1 at attempt 1. */
  static void fixture(DataSource ds) throws SQLException {
    execute(ds, "DELETE FROM sweeps");
    execute(
        ds,
        "INSERT INTO sweeps (uid, namespace, name, spec, objective_metric, objective_goal)"
            + " VALUES ('sw-1', 'default', 'quick', '{}', 'val_accuracy', 'maximize')");
    execute(
        ds,
        "INSERT INTO cells (sweep_id, cell_index, method, activation, architecture, depth, width,"
            + " learning_rate, dataset) SELECT id, 0, 'dks', 'tanh', 'mlp', 50, 256, 1e-4,"
            + " 'fashion-mnist' FROM sweeps");
    execute(
        ds,
        "INSERT INTO trials (sweep_id, cell_id, trial_index, seed, state, attempt)"
            + " SELECT s.id, c.id, i, i, 'Running', 1 FROM sweeps s JOIN cells c ON c.sweep_id = s.id,"
            + " generate_series(0, 1) i");
  }

  static void execute(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static long number(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static double real(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getDouble(1);
    }
  }

  static MetricBatch losses(String trial, int attempt, int fromStep, int toStep) {
    List<MetricPoint> points = new ArrayList<>();
    for (int s = fromStep; s < toStep; s++) {
      points.add(new MetricPoint(s, s / 100, "train_loss", 10.0 / (s + 1), 1_700_000_000_000L + s));
    }
    return new MetricBatch(trial, attempt, points);
  }

  @Test
  void eventsAreRecordedInOneBatchForTheSweepAndItsTrials() throws SQLException {
    store.recordEvents(
        "sw-1",
        List.of(
            new NewEvent(0, EventType.NORMAL, EventReason.LAUNCHED, "attempt 1 (pod/a)"),
            new NewEvent(1, EventType.WARNING, EventReason.LAUNCH_FAILED, "quota exceeded"),
            new NewEvent(null, EventType.NORMAL, EventReason.LAUNCHED, "2 launched")));
    assertThat(number("SELECT count(*) FROM events")).isEqualTo(3);
    assertThat(
            number(
                "SELECT count(*) FROM events e JOIN trials t ON t.id = e.trial_id"
                    + " WHERE t.trial_index = 1 AND e.type = 'Warning'"
                    + " AND e.message = 'quota exceeded'"))
        .isEqualTo(1);
    assertThat(number("SELECT count(*) FROM events WHERE trial_id IS NULL")).isEqualTo(1);
    store.recordEvents("sw-1", List.of());
    assertThat(number("SELECT count(*) FROM events")).isEqualTo(3);
  }

  @Test
  void aRepeatedBatchIsANoOp() throws SQLException {
    assertThat(store.appendMetrics(losses("sw-1-0", 1, 0, 1000)))
        .isEqualTo(new IngestResult(1000, 0));
    assertThat(store.appendMetrics(losses("sw-1-0", 1, 0, 1000)))
        .isEqualTo(new IngestResult(0, 1000));
    assertThat(number("SELECT count(*) FROM metric_points")).isEqualTo(1000);
    assertThat(number("SELECT point_count FROM trial_metric_summaries")).isEqualTo(1000);
    assertThat(number("SELECT point_count FROM trials WHERE trial_index = 0")).isEqualTo(1000);
    assertThat(number("SELECT last_step FROM trials WHERE trial_index = 0")).isEqualTo(999);
  }

  @Test
  void overlappingBatchesCountEveryPointOnceAndKeepTheSummaryRight() throws SQLException {
    store.appendMetrics(losses("sw-1-0", 1, 500, 1000));
    IngestResult r = store.appendMetrics(losses("sw-1-0", 1, 0, 750));
    assertThat(r).isEqualTo(new IngestResult(500, 250));
    assertThat(number("SELECT point_count FROM trial_metric_summaries")).isEqualTo(1000);
    assertThat(number("SELECT last_step FROM trial_metric_summaries")).isEqualTo(999);
    assertThat(real("SELECT last_value FROM trial_metric_summaries")).isEqualTo(10.0 / 1000);
    assertThat(real("SELECT max_value FROM trial_metric_summaries")).isEqualTo(10.0);
    assertThat(real("SELECT min_value FROM trial_metric_summaries")).isEqualTo(10.0 / 1000);
  }

  /**
   * The ingest of a batch reads the stored chunks once, and only those whose step range overlaps
   * the batch's: its cost does not grow with the trial's history. Once, the planner folded the
   * lookup of stored points into the check of every incoming point, so each of a batch's points
   * scanned all of its metric's chunks (about 2,800 buffers per 256-point batch after 9 batches in
   * the HTTP load benchmark, 4-5 ms of the database's CPU per request).
   */
  @Test
  void aBatchsIngestReadsOnlyTheChunksItOverlapsHoweverLongTheHistory() throws SQLException {
    String[] names = {"train_loss", "val_loss", "val_accuracy", "learning_rate"};
    int batches = 100;
    for (int b = 0; b < batches; b++) {
      store.appendMetrics(batchOfFourMetrics(names, b));
    }
    long trialId = number("SELECT id FROM trials WHERE trial_index = 0");
    String plan;
    try (Connection c = ds.getConnection()) {
      plan = JdbcMetricIngest.explain(c, trialId, batchOfFourMetrics(names, batches));
    }
    // the first Buffers line after a node's name holds the node's own and its children's
    assertThat(buffers(plan, "CTE stored"))
        .as("the stored-chunk lookup: 4 index descents (the per-point plan read 405)\n%s", plan)
        .isLessThan(40);
    // 4 chunk inserts, 4 summary upserts, the trial's update and the lookup: 160 here; the
    // per-point plan read 554
    assertThat(buffers(plan, "Result")).as(plan).isLessThan(300);
  }

  /**
   * The shared buffers (hit and read) of the first node of {@code plan} whose line has {@code
   * node}.
   */
  private static long buffers(String plan, String node) {
    Matcher m =
        Pattern.compile(
                Pattern.quote(node)
                    + "[^\\n]*\\n(?:[^\\n]*\\n)*?\\s*Buffers: shared hit=(\\d+)(?: read=(\\d+))?")
            .matcher(plan);
    assertThat(m.find()).as("%s in%n%s", node, plan).isTrue();
    return Long.parseLong(m.group(1)) + (m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
  }

  /** Batch {@code b} of a trial reporting four metrics: 64 steps of each, after batch b - 1's. */
  private static MetricBatch batchOfFourMetrics(String[] names, int b) {
    List<MetricPoint> points = new ArrayList<>();
    for (String name : names) {
      for (int s = b * 64; s < (b + 1) * 64; s++) {
        points.add(new MetricPoint(s, b, name, 1.0 / (s + 1), 1_700_000_000_000L + s));
      }
    }
    return new MetricBatch("sw-1-0", 1, points);
  }

  /**
   * Points are stored one chunk per batch and metric (V13): batches whose step ranges interleave
   * (odd steps, then even ones) keep every point, a step repeated within a batch is stored once
   * (its first value), a batch of every step then stores nothing new, and a second metric of the
   * same steps is its own.
   */
  @Test
  void interleavedBatchesAndStepsRepeatedInABatchStoreEachPointOnce() throws SQLException {
    List<MetricPoint> odd = new ArrayList<>();
    List<MetricPoint> even = new ArrayList<>();
    for (int s = 0; s < 100; s++) {
      (s % 2 == 1 ? odd : even).add(new MetricPoint(s, 0, "train_loss", s, 1_700_000_000_000L + s));
    }
    even.add(new MetricPoint(10, 0, "train_loss", -1.0, 0)); // step 10 again: the first stays
    even.add(new MetricPoint(10, 0, "val_loss", 0.5, 1_700_000_000_010L)); // another metric
    assertThat(store.appendMetrics(new MetricBatch("sw-1-0", 1, odd)))
        .isEqualTo(new IngestResult(50, 0));
    assertThat(store.appendMetrics(new MetricBatch("sw-1-0", 1, even)))
        .isEqualTo(new IngestResult(51, 1));
    assertThat(store.appendMetrics(losses("sw-1-0", 1, 0, 100)))
        .as("every step stored already")
        .isEqualTo(new IngestResult(0, 100));
    assertThat(number("SELECT count(*) FROM metric_points WHERE name = 'train_loss'"))
        .isEqualTo(100);
    assertThat(
            number(
                "SELECT count(*) FROM metric_points WHERE name = 'train_loss' AND value = step"
                    + " AND recorded_at = to_timestamp((1700000000000 + step)::float8 / 1000)"))
        .as("each step with its first value and its time")
        .isEqualTo(100);
    assertThat(number("SELECT count(DISTINCT step) FROM metric_points")).isEqualTo(100);
    assertThat(number("SELECT point_count FROM trials WHERE trial_index = 0")).isEqualTo(101);
    assertThat(number("SELECT point_count FROM trial_metric_summaries WHERE name = 'train_loss'"))
        .isEqualTo(100);
    assertThat(real("SELECT last_value FROM trial_metric_summaries WHERE name = 'train_loss'"))
        .isEqualTo(99.0);
    assertThat(number("SELECT count(*) FROM metric_chunks"))
        .as("one per batch and metric")
        .isEqualTo(3);
  }

  @Test
  void badBatchesAreRejectedWithNothingWritten() throws SQLException {
    List<MetricPoint> points = new ArrayList<>(losses("sw-1-0", 1, 0, 10).points());
    points.set(3, new MetricPoint(3, 0, "train_loss", Double.NaN, 0));
    assertThatThrownBy(() -> store.appendMetrics(new MetricBatch("sw-1-0", 1, points)))
        .isInstanceOfSatisfying(
            RejectedBatchException.class,
            e ->
                assertThat(e.problems())
                    .extracting(SpecViolation::field)
                    .containsExactly("points[3].value"));
    assertThatThrownBy(() -> store.appendMetrics(losses("sw-1-7", 1, 0, 10)))
        .isInstanceOf(RejectedBatchException.class)
        .hasMessageContaining("no trial sw-1-7");
    assertThatThrownBy(() -> store.appendMetrics(losses("sw-1-0", 2, 0, 10)))
        .isInstanceOf(RejectedBatchException.class)
        .hasMessageContaining("is at attempt 1");
    assertThatThrownBy(() -> store.appendMetrics(losses("sw-1-0", 1, 0, 50_001)))
        .isInstanceOf(RejectedBatchException.class)
        .hasMessageContaining("at most 50000");
    assertThatThrownBy(() -> store.appendMetrics(losses("nodash", 1, 0, 1)))
        .isInstanceOf(RejectedBatchException.class)
        .hasMessageContaining("<sweep uid>-<trial index>");
    assertThat(number("SELECT count(*) FROM metric_points")).isZero();
    assertThat(number("SELECT count(*) FROM trial_metric_summaries")).isZero();
  }

  @Test
  void concurrentWritersNeitherLoseNorDoubleCountPoints() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<IngestResult>> results = new ArrayList<>();
    // 8 overlapping ranges over steps 0..2000, for two trials
    for (int w = 0; w < 8; w++) {
      int from = w * 200;
      String trial = "sw-1-" + (w % 2);
      results.add(pool.submit(() -> store.appendMetrics(losses(trial, 1, from, from + 600))));
      results.add(pool.submit(() -> store.appendMetrics(losses(trial, 1, from, from + 600))));
    }
    int inserted = 0;
    for (Future<IngestResult> f : results) {
      inserted += f.get().inserted();
    }
    pool.shutdown();
    long rows = number("SELECT count(*) FROM metric_points");
    assertThat(inserted).isEqualTo((int) rows);
    assertThat(number("SELECT sum(point_count) FROM trial_metric_summaries")).isEqualTo(rows);
    assertThat(number("SELECT sum(point_count) FROM trials")).isEqualTo(rows);
    long expected =
        IntStream.range(0, 2)
            .mapToLong(
                t ->
                    IntStream.range(0, 8)
                        .filter(w -> w % 2 == t)
                        .flatMap(w -> IntStream.range(w * 200, w * 200 + 600))
                        .distinct()
                        .count())
            .sum();
    assertThat(rows).isEqualTo(expected);
  }

  @Test
  void anEmbeddedDatabaseWithADataDirectoryKeepsItsDataAcrossRestarts(@TempDir Path dir)
      throws Exception {
    try (EmbeddedDatabase first = EmbeddedDatabase.start(dir.resolve("pg"))) {
      fixture(first.dataSource());
      new JdbcResultStore(first.dataSource()).appendMetrics(losses("sw-1-1", 1, 0, 100));
    }
    try (EmbeddedDatabase second = EmbeddedDatabase.start(dir.resolve("pg"))) {
      assertThat(Migrations.apply(second.dataSource())).isZero();
      try (Connection c = second.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*), max(step) FROM metric_points")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(100);
        assertThat(rs.getLong(2)).isEqualTo(99);
      }
      IngestResult again =
          new JdbcResultStore(second.dataSource()).appendMetrics(losses("sw-1-1", 1, 0, 100));
      assertThat(again.inserted()).as("points sent again after a restart are recognised").isZero();
    }
  }
}
