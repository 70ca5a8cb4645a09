package dev.dkssweep.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real migrations on a real PostgreSQL (embedded, started here). */
class MigrationsIT {

  private static EmbeddedPostgres postgres;
  private static DataSource ds;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    ds = postgres.getPostgresDatabase();
    Flyway flyway = Flyway.configure().dataSource(ds).locations("classpath:db/migration").load();
    assertThat(flyway.migrate().migrationsExecuted).isEqualTo(14);
    assertThat(flyway.migrate().migrationsExecuted).as("a second run applies nothing").isZero();
    flyway.validate();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void clean() throws SQLException {
    execute("DELETE FROM sweeps");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long insertReturningId(String sql, Object... args) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql + " RETURNING id")) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long sweep(String uid) throws SQLException {
    return insertReturningId(
        "INSERT INTO sweeps (uid, namespace, name, spec, objective_metric, objective_goal)"
            + " VALUES (?, 'default', 'quick', '{}'::jsonb, 'val_accuracy', 'maximize')",
        uid);
  }

  private static long cell(long sweep, int index) throws SQLException {
    return insertReturningId(
        "INSERT INTO cells (sweep_id, cell_index, method, activation, architecture, depth, width,"
            + " learning_rate, dataset) VALUES (?, ?, 'dks', 'tanh', 'mlp', 50, 256, 1e-4,"
            + " 'fashion-mnist')",
        sweep,
        index);
  }

  private static long trial(long sweep, long cell, int index) throws SQLException {
    return insertReturningId(
        "INSERT INTO trials (sweep_id, cell_id, trial_index, seed) VALUES (?, ?, ?, 1)",
        sweep,
        cell,
        index);
  }

  /** A chunk of one point (V13: points are stored as chunks, one per batch and metric). */
  private static int insertPoint(long trial, long step, double value) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO metric_chunks (trial_id, attempt, name, first_step, last_step, steps,"
                    + " epochs, point_values, recorded_at) VALUES (?, 1, 'train_loss', ?, ?,"
                    + " ARRAY[?]::bigint[], ARRAY[0], ARRAY[?]::float8[], ARRAY['epoch']::timestamptz[])"
                    + " ON CONFLICT DO NOTHING")) {
      ps.setLong(1, trial);
      ps.setLong(2, step);
      ps.setLong(3, step);
      ps.setLong(4, step);
      ps.setDouble(5, value);
      return ps.executeUpdate();
    }
  }

  /** The start of an insert of one chunk of metric 'loss' of trial {@code t}, attempt 1. */
  private static String chunkValuesOf(long t) {
    return "INSERT INTO metric_chunks (trial_id, attempt, name, first_step, last_step, steps,"
        + " epochs, point_values, recorded_at) VALUES ("
        + t
        + ", 1, 'loss', ";
  }

  /** A chunk of {@code n} points of one metric at steps 1..n, written in SQL. */
  private static String chunkOf(String trial, int n) {
    return "INSERT INTO metric_chunks (trial_id, attempt, name, first_step, last_step, steps,"
        + " epochs, point_values, recorded_at) SELECT id, 1, 'loss', 1, "
        + n
        + ", array_agg(s ORDER BY s), array_agg(0), array_agg(0.5::float8),"
        + " array_agg(now()) FROM (VALUES "
        + trial
        + ") v(id), generate_series(1, "
        + n
        + ") s GROUP BY id";
  }

  @Test
  void aRepeatedChunkIsANoOpAndThePointsViewUnnestsTheChunks() throws SQLException {
    long s = sweep("u1");
    long t = trial(s, cell(s, 0), 0);
    assertThat(insertPoint(t, 10, 0.5)).isEqualTo(1);
    assertThat(insertPoint(t, 10, 0.5)).isZero();
    assertThat(insertPoint(t, 11, 0.4)).isEqualTo(1);
    execute(
        "INSERT INTO metric_chunks VALUES ("
            + t
            + ", 1, 'val_loss', 2, 7, '{2,5,7}', '{0,1,1}', '{0.3,0.2,0.1}',"
            + " ARRAY['epoch', 'epoch'::timestamptz + interval '2.5 s', '1970-01-02Z']::timestamptz[])");
    assertThat(count("SELECT count(*) FROM metric_points")).isEqualTo(5);
    assertThat(
            count(
                "SELECT count(*) FROM metric_points WHERE name = 'val_loss' AND trial_id = "
                    + t
                    + " AND attempt = 1 AND ((step, epoch, value) = (5, 1, 0.2)"
                    + " AND recorded_at = 'epoch'::timestamptz + interval '2.5 seconds'"
                    + " OR (step, epoch, value) = (7, 1, 0.1)"
                    + " AND recorded_at = 'epoch'::timestamptz + interval '1 day')"))
        .as("each point's step, epoch, value and time, from the chunk's arrays")
        .isEqualTo(2);
  }

  /**
   * V14 keys a chunk by its last step: two chunks of one metric ending at the same step conflict (a
   * step is stored once), chunks that share only their first step do not (their steps differ), and
   * the ingest's overlap lookup is bounded by the key's last column.
   */
  @Test
  void chunksAreKeyedByTheirLastStep() throws SQLException {
    long s = sweep("u14");
    long t = trial(s, cell(s, 0), 0);
    String columns = chunkValuesOf(t);
    execute(columns + "1, 5, '{1,5}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}')");
    assertThatThrownBy(
            () -> execute(columns + "3, 5, '{3,5}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}')"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    execute(columns + "1, 3, '{1,3}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}')");
    assertThat(count("SELECT count(*) FROM metric_points WHERE trial_id = " + t)).isEqualTo(4);
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("SET enable_seqscan = off");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs =
          st.executeQuery(
              "EXPLAIN SELECT 1 FROM metric_chunks c WHERE c.trial_id = "
                  + t
                  + " AND c.attempt = 1 AND c.name = 'loss' AND c.first_step <= 9"
                  + " AND c.last_step >= 4")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString().lines().filter(l -> l.contains("Index Cond")))
          .as("the index range starts at the batch's first step:%n%s", plan)
          .singleElement()
          .asString()
          .contains("last_step >= 4");
    }
  }

  /**
   * A chunk is well formed or refused: its arrays of one length without nulls, its steps increasing
   * with first_step and last_step its ends, its steps and epochs not negative.
   */
  @Test
  void malformedChunksAreRefused() throws SQLException {
    long s = sweep("u8");
    long t = trial(s, cell(s, 0), 0);
    String columns = chunkValuesOf(t);
    for (String bad :
        new String[] {
          "1, 3, '{1,3}', '{0}', '{0.5,0.4}', '{epoch,epoch}'", // arrays of different lengths
          "1, 3, '{1,3}', '{0,0}', '{0.5}', '{epoch,epoch}'",
          "1, 3, '{1,3}', '{0,0}', '{0.5,0.4}', '{epoch}'",
          "3, 1, '{3,1}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}'", // steps decreasing
          "1, 1, '{1,1}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}'", // a step twice
          "2, 3, '{1,3}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}'", // first_step not the first step
          "1, 4, '{1,3}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}'", // last_step not the last
          "-1, 3, '{-1,3}', '{0,0}', '{0.5,0.4}', '{epoch,epoch}'", // a negative step
          "1, 3, '{1,3}', '{0,-1}', '{0.5,0.4}', '{epoch,epoch}'", // a negative epoch
          "1, 3, '{1,3}', '{0,NULL}', '{0.5,0.4}', '{epoch,epoch}'", // a null element
          "1, 3, '{1,3}', '{0,0}', '{0.5,NULL}', '{epoch,epoch}'",
          "1, 3, '{1,3}', '{0,0}', '{0.5,0.4}', '{NULL,epoch}'",
          "1, 1, '{}', '{}', '{}', '{}'", // empty
          "1, 1, '[0:0]={1}', '{0}', '{0.5}', '{epoch}'", // not 1-based
          "1, 1, '{{1}}', '{{0}}', '{{0.5}}', '{{epoch}}'" // two-dimensional
        }) {
      assertThatThrownBy(() -> execute(columns + bad + ")"))
          .as(bad)
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
    }
    execute(columns + "1, 3, '{1,3}', '{0,1}', '{0.5,0.4}', '{epoch,epoch}')");
    assertThat(count("SELECT count(*) FROM metric_points")).isEqualTo(2);
  }

  /**
   * V13 moves the points stored one per row into chunks of at most 1,000 points of one trial,
   * attempt and metric: every point keeps its step, epoch, value and time.
   */
  @Test
  void pointsStoredBeforeV13AreMovedIntoChunks() throws SQLException {
    execute("CREATE DATABASE before_v13");
    try {
      DataSource old = postgres.getDatabase("postgres", "before_v13");
      Flyway.configure()
          .dataSource(old)
          .locations("classpath:db/migration")
          .target("12")
          .load()
          .migrate();
      try (Connection c = old.getConnection();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO sweeps (uid, namespace, name, spec, objective_metric, objective_goal)"
                + " VALUES ('old', 'default', 'quick', '{}'::jsonb, 'val_accuracy', 'maximize')");
        st.execute(
            "INSERT INTO cells (sweep_id, cell_index, method, activation, architecture, depth,"
                + " width, learning_rate, dataset) SELECT id, 0, 'dks', 'tanh', 'mlp', 50, 256,"
                + " 1e-4, 'fashion-mnist' FROM sweeps");
        st.execute(
            "INSERT INTO trials (sweep_id, cell_id, trial_index, seed, attempt)"
                + " SELECT s.id, c.id, i, 1, 2 FROM sweeps s JOIN cells c ON c.sweep_id = s.id,"
                + " generate_series(0, 1) i");
        // trial 0: 2,500 points of train_loss (3 chunks) and 10 of val_loss, attempts 1 and 2;
        // trial 1: none
        st.execute(
            "INSERT INTO metric_points (trial_id, attempt, name, step, epoch, value, recorded_at)"
                + " SELECT t.id, a, n, st * 3, st / 100, 1.0 / (st + a),"
                + " 'epoch'::timestamptz + st * interval '1.5 ms'"
                + " FROM trials t, (VALUES ('train_loss', 2500), ('val_loss', 10)) m(n, k),"
                + " generate_series(1, 2) a, generate_series(1, 2500) st"
                + " WHERE t.trial_index = 0 AND st <= k");
        st.execute("CREATE TABLE expected AS SELECT * FROM metric_points");
      }
      Flyway.configure().dataSource(old).locations("classpath:db/migration").load().migrate();
      try (Connection c = old.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT (SELECT count(*) FROM expected),"
                      + " (SELECT count(*) FROM metric_points),"
                      + " (SELECT count(*) FROM (SELECT * FROM expected EXCEPT ALL"
                      + " SELECT * FROM metric_points) missing),"
                      + " (SELECT count(*) FROM (SELECT * FROM metric_points EXCEPT ALL"
                      + " SELECT * FROM expected) extra),"
                      + " (SELECT count(*) FROM metric_chunks),"
                      + " (SELECT max(cardinality(steps)) FROM metric_chunks)")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(2 * 2510);
        assertThat(rs.getLong(2)).as("points after").isEqualTo(2 * 2510);
        assertThat(rs.getLong(3)).as("points lost or changed").isZero();
        assertThat(rs.getLong(4)).as("points added").isZero();
        assertThat(rs.getLong(5)).as("chunks: 3 + 1 per attempt").isEqualTo(8);
        assertThat(rs.getLong(6)).isEqualTo(1000);
      }
    } finally {
      execute("DROP DATABASE before_v13 WITH (FORCE)");
    }
  }

  @Test
  void nonFiniteValuesAreRefused() throws SQLException {
    long s = sweep("u2");
    long t = trial(s, cell(s, 0), 0);
    for (double bad :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> insertPoint(t, 1, bad))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
    }
    assertThat(count("SELECT count(*) FROM metric_points")).isZero();
  }

  @Test
  void aTrialsCellMustBelongToItsSweep() throws SQLException {
    long a = sweep("ua");
    long b = sweep("ub");
    long cellOfA = cell(a, 0);
    assertThatThrownBy(() -> trial(b, cellOfA, 0))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
  }

  @Test
  void statesPhasesAndInfeasibleCellsAreChecked() throws SQLException {
    long s = sweep("u3");
    long t = trial(s, cell(s, 0), 0);
    assertThatThrownBy(() -> execute("UPDATE trials SET state = 'Exploded' WHERE id = " + t))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> execute("UPDATE sweeps SET phase = 'Done' WHERE id = " + s))
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(
            () ->
                execute(
                    "INSERT INTO cells (sweep_id, cell_index, method, activation, architecture,"
                        + " depth, width, learning_rate, dataset, feasible) VALUES ("
                        + s
                        + ", 1, 'tat', 'relu', 'mlp', 5, 8, 0.1, 'mnist', false)"))
        .as("an infeasible cell needs its reason")
        .isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> sweep("u3")).as("uid is unique").isInstanceOf(SQLException.class);
  }

  @Test
  void deletingASweepDeletesEverythingOfIt() throws SQLException {
    long s = sweep("u4");
    long t = trial(s, cell(s, 0), 0);
    insertPoint(t, 1, 1.0);
    execute(
        "INSERT INTO trial_metric_summaries VALUES ("
            + t
            + ", 1, 'train_loss', 1, 1.0, 1.0, 1.0, 1)");
    execute(
        "INSERT INTO events (sweep_id, trial_id, type, reason, message) VALUES ("
            + s
            + ", "
            + t
            + ", 'Normal', 'TrialStarted', 'started')");
    execute("DELETE FROM sweeps WHERE id = " + s);
    for (String table :
        new String[] {"cells", "trials", "metric_points", "trial_metric_summaries", "events"}) {
      assertThat(count("SELECT count(*) FROM " + table)).as(table).isZero();
    }
  }

  @Test
  void aPointOfAnUnknownTrialIsRefusedAndNothingOfItsStatementIsWritten() throws SQLException {
    long s = sweep("u5");
    long t = trial(s, cell(s, 0), 0);
    assertThatThrownBy(() -> insertPoint(t + 1000, 1, 0.5))
        .isInstanceOfSatisfying(
            SQLException.class,
            e -> {
              assertThat(e.getSQLState()).isEqualTo("23503");
              assertThat(e.getMessage()).contains("(trial_id)=(" + (t + 1000) + ")");
            });
    assertThatThrownBy(() -> execute(chunkOf("(" + t + "), (" + (t + 1000) + ")", 100)))
        .as("one unknown trial refuses the whole statement")
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
    assertThatThrownBy(
            () -> {
              insertPoint(t, 1, 0.5);
              execute("UPDATE metric_chunks SET trial_id = " + (t + 1000));
            })
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
    assertThatThrownBy(() -> execute("UPDATE trials SET id = id + 1000 WHERE id = " + t))
        .as("a trial's key never changes")
        .isInstanceOf(SQLException.class);
    assertThat(count("SELECT count(*) FROM metric_points")).isEqualTo(1);
  }

  @Test
  void deletingATrialDeletesItsPointsOnly() throws SQLException {
    long s = sweep("u6");
    long c = cell(s, 0);
    long a = trial(s, c, 0);
    long b = trial(s, c, 1);
    for (int step = 1; step <= 5; step++) {
      insertPoint(a, step, 1.0 / step);
      insertPoint(b, step, 2.0 / step);
    }
    execute("DELETE FROM trials WHERE id = " + a);
    assertThat(count("SELECT count(*) FROM metric_points WHERE trial_id = " + a)).isZero();
    assertThat(count("SELECT count(*) FROM metric_points WHERE trial_id = " + b)).isEqualTo(5);
  }

  @Test
  void pointsAndADeleteOfTheirTrialWaitForEachOther() throws Exception {
    long s = sweep("u7");
    long t = trial(s, cell(s, 0), 0);
    // a delete in progress: the insert waits for it, then finds the trial gone
    try (Connection deleting = ds.getConnection()) {
      deleting.setAutoCommit(false);
      execute(deleting, "DELETE FROM trials WHERE id = " + t);
      CompletableFuture<Integer> insert = async(() -> insertPoint(t, 1, 0.5));
      assertThatThrownBy(() -> insert.get(500, TimeUnit.MILLISECONDS))
          .as("the insert waits for the delete")
          .isInstanceOf(TimeoutException.class);
      deleting.commit();
      assertThatThrownBy(() -> insert.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
    }
    // points being written: the delete waits for them, then deletes them too
    long u = trial(s, cell(s, 1), 1);
    try (Connection writing = ds.getConnection()) {
      writing.setAutoCommit(false);
      execute(writing, chunkOf("(" + u + ")", 10));
      CompletableFuture<Integer> delete =
          async(
              () -> {
                execute("DELETE FROM trials WHERE id = " + u);
                return 0;
              });
      assertThatThrownBy(() -> delete.get(500, TimeUnit.MILLISECONDS))
          .as("the delete waits for the points")
          .isInstanceOf(TimeoutException.class);
      writing.commit();
      delete.get(10, TimeUnit.SECONDS);
    }
    assertThat(count("SELECT count(*) FROM trials")).isZero();
    assertThat(count("SELECT count(*) FROM metric_points")).isZero();
  }

  private interface SqlWork {
    int run() throws SQLException;
  }

  private static CompletableFuture<Integer> async(SqlWork work) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                f.complete(work.run());
              } catch (SQLException | RuntimeException e) {
                f.completeExceptionally(e);
              }
            });
    thread.setDaemon(true);
    thread.start();
    return f;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /**
   * V12: every insert and update of a trial records its transaction in changed_by, so a reader that
   * took the snapshot's xmin before reading finds what was written since with changed_by at or
   * above it, and nothing older.
   */
  @Test
  void aTrialRecordsTheTransactionThatLastWroteIt() throws SQLException {
    long s = sweep("u-changed");
    long c = cell(s, 0);
    long first = trial(s, c, 0);
    long second = trial(s, c, 1);
    long mark = count("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
    assertThat(changedSince(s, mark)).as("nothing written since the mark").isEmpty();

    execute("UPDATE trials SET point_count = point_count + 1 WHERE id = " + second);
    assertThat(changedSince(s, mark)).containsExactly(1);

    long writer;
    try (Connection conn = ds.getConnection()) {
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.executeUpdate("UPDATE trials SET state = 'Running' WHERE id = " + first);
        try (ResultSet rs = st.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
          rs.next();
          writer = rs.getLong(1);
        }
        assertThat(changedSince(s, mark))
            .as("an uncommitted write is not seen by others")
            .containsExactly(1);
        long during = count("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
        assertThat(during)
            .as("a mark taken meanwhile stays at or below the open writer")
            .isLessThanOrEqualTo(writer);
      }
      conn.commit();
    }
    assertThat(count("SELECT changed_by::text::bigint FROM trials WHERE id = " + first))
        .isEqualTo(writer);
    assertThat(changedSince(s, mark)).containsExactly(0, 1);
    long later = count("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint");
    assertThat(changedSince(s, later)).as("nothing written after the later mark").isEmpty();
  }

  private static java.util.List<Integer> changedSince(long sweep, long mark) throws SQLException {
    java.util.List<Integer> out = new java.util.ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT trial_index FROM trials WHERE sweep_id = ? AND changed_by >= ?::text::xid8"
                    + " ORDER BY trial_index")) {
      ps.setLong(1, sweep);
      ps.setLong(2, mark);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getInt(1));
        }
      }
    }
    return out;
  }
}
