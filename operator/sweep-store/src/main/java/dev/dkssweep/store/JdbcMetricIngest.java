package dev.dkssweep.store;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.store.BatchValidator;
import dev.dkssweep.sweep.store.FinishedAttemptException;
import dev.dkssweep.sweep.store.IngestResult;
import dev.dkssweep.sweep.store.RejectedBatchException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.jdbc.PgConnection;

/**
 * Metric ingest of {@link JdbcResultStore}. One transaction per batch: the trial's row is locked,
 * the batch's points not stored yet go in as one chunk per metric (V13's {@code metric_chunks}),
 * and only those points update {@code trial_metric_summaries} and the trial's maintained fields, so
 * a repeated batch changes nothing.
 */
final class JdbcMetricIngest {

  private static final String FIND_TRIAL =
      """
      SELECT t.id, t.attempt, t.ended_attempt
        FROM trials t JOIN sweeps s ON s.id = t.sweep_id
       WHERE s.uid = ? AND t.trial_index = ?
         FOR NO KEY UPDATE OF t
      """;

  /**
   * A batch's new points, one chunk per metric ({@code metric_chunks}, V13): the points whose steps
   * no stored chunk of that metric holds (only the chunks whose step range overlaps the batch's are
   * read: none but a retried batch's), the first of a step repeated within the batch; then the
   * metric summaries and the trial's counters from those points only. The caller holds the trial's
   * row lock, so no other ingest of the trial runs meanwhile.
   *
   * <p>{@code stored} is {@code MATERIALIZED} and reads the chunks through a {@code LATERAL}
   * subquery per metric that {@code OFFSET 0} keeps from being flattened, so that it runs once, as
   * one index range per metric (V14's key ends in {@code last_step}), whatever the table's
   * statistics say. Left to itself, with statistics from when the trial had few chunks, the planner
   * folded the lookup into the check of each incoming point, or read every chunk of the trial and
   * filtered them in a hash join: about 2,800 buffers per 256-point batch under load
   * (JdbcResultStoreIT checks the bound).
   */
  private static final String INGEST =
      """
      WITH incoming AS (
          SELECT * FROM unnest(?::text[], ?::bigint[], ?::int[], ?::float8[], ?::bigint[])
                        WITH ORDINALITY AS p(name, step, epoch, value, time_ms, ord)
      ), ranges AS (
          SELECT name, min(step) AS lo, max(step) AS hi FROM incoming GROUP BY name
      ), stored AS MATERIALIZED (
          SELECT c.name, s.step
            FROM ranges r
           CROSS JOIN LATERAL (
                 SELECT c.name, c.steps FROM metric_chunks c
                  WHERE c.trial_id = ? AND c.attempt = ? AND c.name = r.name
                    AND c.last_step >= r.lo AND c.first_step <= r.hi
                 OFFSET 0) c
           CROSS JOIN LATERAL unnest(c.steps) AS s(step)
      ), fresh AS (
          SELECT DISTINCT ON (name, step) name, step, epoch, value, time_ms
            FROM incoming i
           WHERE NOT EXISTS (SELECT 1 FROM stored x WHERE x.name = i.name AND x.step = i.step)
           ORDER BY name, step, ord
      ), agg AS (
          SELECT name, min(step) AS first_step, max(step) AS last_step,
                 array_agg(step ORDER BY step) AS steps, array_agg(epoch ORDER BY step) AS epochs,
                 array_agg(value ORDER BY step) AS point_values,
                 array_agg(to_timestamp(time_ms::float8 / 1000) ORDER BY step) AS recorded_at,
                 min(value) AS min_value, max(value) AS max_value, count(*) AS n
            FROM fresh GROUP BY name
      ), chunks AS (
          INSERT INTO metric_chunks
                 (trial_id, attempt, name, first_step, last_step, steps, epochs, point_values,
                  recorded_at)
          SELECT ?, ?, name, first_step, last_step, steps, epochs, point_values, recorded_at
            FROM agg
          RETURNING 1
      ), summaries AS (
          INSERT INTO trial_metric_summaries AS s
                 (trial_id, attempt, name, last_step, last_value, min_value, max_value, point_count)
          SELECT ?, ?, name, last_step, point_values[cardinality(point_values)], min_value,
                 max_value, n
            FROM agg
          ON CONFLICT (trial_id, attempt, name) DO UPDATE SET
              last_value = CASE WHEN EXCLUDED.last_step >= s.last_step
                                THEN EXCLUDED.last_value ELSE s.last_value END,
              last_step = GREATEST(s.last_step, EXCLUDED.last_step),
              min_value = LEAST(s.min_value, EXCLUDED.min_value),
              max_value = GREATEST(s.max_value, EXCLUDED.max_value),
              point_count = s.point_count + EXCLUDED.point_count
          RETURNING 1
      ), trial AS (
          UPDATE trials
             SET point_count = point_count + (SELECT sum(n) FROM agg),
                 last_step = GREATEST(COALESCE(last_step, -1), (SELECT max(last_step) FROM agg))
           WHERE id = ? AND EXISTS (SELECT 1 FROM agg)
          RETURNING 1
      )
      SELECT (SELECT coalesce(sum(n), 0) FROM agg), (SELECT count(*) FROM chunks),
             (SELECT count(*) FROM summaries), (SELECT count(*) FROM trial)
      """;

  private final DataSource dataSource;

  JdbcMetricIngest(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  IngestResult append(MetricBatch batch) {
    List<SpecViolation> problems = BatchValidator.validate(batch);
    if (!problems.isEmpty()) {
      throw new RejectedBatchException(problems);
    }
    int n = batch.points().size();
    if (n == 0) {
      return new IngestResult(0, 0);
    }
    TrialId key = trialId(batch.trialId());
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long trialId = lockTrial(c, key, batch.attempt());
        int inserted = insert(c, trialId, batch);
        c.commit();
        return new IngestResult(inserted, n - inserted);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("metric ingest for " + batch.trialId() + " failed", e);
    }
  }

  /** The trial a document names; a malformed id refuses the document. */
  static TrialId trialId(String text) {
    try {
      return TrialId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new RejectedBatchException(List.of(new SpecViolation("trialId", e.getMessage())));
    }
  }

  private static long lockTrial(Connection c, TrialId key, int attempt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FIND_TRIAL)) {
      ps.setString(1, key.sweepUid());
      ps.setInt(2, key.index());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new RejectedBatchException(
              List.of(new SpecViolation("trialId", "no trial " + key + " is known")));
        }
        if (rs.getInt(2) != attempt) {
          throw new RejectedBatchException(
              List.of(
                  new SpecViolation(
                      "attempt",
                      "the batch is for attempt "
                          + attempt
                          + " but trial "
                          + key
                          + " is at attempt "
                          + rs.getInt(2))));
        }
        if (attempt <= rs.getInt(3)) {
          countLateWrite(c, rs.getLong(1));
          c.commit();
          throw new FinishedAttemptException(key.attempt(attempt));
        }
        return rs.getLong(1);
      }
    }
  }

  /** Counts a write refused because its attempt has ended. */
  static void countLateWrite(Connection c, long trialId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE trials SET late_writes = late_writes + 1 WHERE id = ?")) {
      ps.setLong(1, trialId);
      ps.executeUpdate();
    }
  }

  private static int insert(Connection c, long trialId, MetricBatch batch) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INGEST)) {
      bind(c, ps, trialId, batch);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * {@code EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)} of ingesting {@code batch} into trial {@code
   * trialId} with {@link #INGEST} itself, in a transaction rolled back afterwards: the plan's text,
   * whose first node's buffers are the whole statement's and whose {@code CTE stored} holds the
   * lookup's (for tests and IngestBench).
   */
  static String explain(Connection c, long trialId, MetricBatch batch) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps =
        c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + INGEST)) {
      bind(c, ps, trialId, batch);
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
  }

  private static void bind(Connection c, PreparedStatement ps, long trialId, MetricBatch batch)
      throws SQLException {
    int n = batch.points().size();
    String[] names = new String[n];
    long[] steps = new long[n];
    int[] epochs = new int[n];
    double[] values = new double[n];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      MetricPoint p = batch.points().get(i);
      names[i] = p.name();
      steps[i] = p.step();
      epochs[i] = p.epoch();
      values[i] = p.value();
      times[i] = p.time();
    }
    // primitive arrays: pgjdbc encodes them without boxing or per-element objects
    PgConnection pg = c.unwrap(PgConnection.class);
    ps.setArray(1, pg.createArrayOf("text", names));
    ps.setArray(2, pg.createArrayOf("int8", steps));
    ps.setArray(3, pg.createArrayOf("int4", epochs));
    ps.setArray(4, pg.createArrayOf("float8", values));
    ps.setArray(5, pg.createArrayOf("int8", times));
    for (int i = 6; i <= 11; i += 2) { // stored chunks, new chunks, summaries
      ps.setLong(i, trialId);
      ps.setInt(i + 1, batch.attempt());
    }
    ps.setLong(12, trialId);
  }
}
