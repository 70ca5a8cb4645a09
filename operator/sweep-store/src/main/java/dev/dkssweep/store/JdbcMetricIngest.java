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
 * Metric ingest of {@link JdbcResultStore}. One transaction per batch: the trial is locked for
 * share, the points go in as arrays through {@code unnest} with {@code ON CONFLICT DO NOTHING}, and
 * only the points actually inserted update {@code trial_metric_summaries} and the trial's
 * maintained fields, so a repeated batch changes nothing.
 */
final class JdbcMetricIngest {

  private static final String FIND_TRIAL =
      """
      SELECT t.id, t.attempt, t.ended_attempt
        FROM trials t JOIN sweeps s ON s.id = t.sweep_id
       WHERE s.uid = ? AND t.trial_index = ?
         FOR NO KEY UPDATE OF t
      """;

  private static final String INGEST =
      """
      WITH incoming AS (
          SELECT * FROM unnest(?::text[], ?::bigint[], ?::int[], ?::float8[], ?::bigint[])
                        AS p(name, step, epoch, value, time_ms)
      ), ins AS (
          INSERT INTO metric_points (trial_id, attempt, name, step, epoch, value, recorded_at)
          SELECT ?, ?, name, step, epoch, value, to_timestamp(time_ms::float8 / 1000) FROM incoming
          ON CONFLICT DO NOTHING
          RETURNING name, step, value
      ), agg AS (
          SELECT name, max(step) AS last_step, (array_agg(value ORDER BY step DESC))[1] AS last_value,
                 min(value) AS min_value, max(value) AS max_value, count(*) AS n
            FROM ins GROUP BY name
      ), summaries AS (
          INSERT INTO trial_metric_summaries AS s
                 (trial_id, attempt, name, last_step, last_value, min_value, max_value, point_count)
          SELECT ?, ?, name, last_step, last_value, min_value, max_value, n FROM agg
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
             SET point_count = point_count + (SELECT count(*) FROM ins),
                 last_step = GREATEST(COALESCE(last_step, -1), (SELECT max(step) FROM ins))
           WHERE id = ? AND EXISTS (SELECT 1 FROM ins)
          RETURNING 1
      )
      SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM summaries), (SELECT count(*) FROM trial)
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
    try (PreparedStatement ps = c.prepareStatement(INGEST)) {
      ps.setArray(1, pg.createArrayOf("text", names));
      ps.setArray(2, pg.createArrayOf("int8", steps));
      ps.setArray(3, pg.createArrayOf("int4", epochs));
      ps.setArray(4, pg.createArrayOf("float8", values));
      ps.setArray(5, pg.createArrayOf("int8", times));
      ps.setLong(6, trialId);
      ps.setInt(7, batch.attempt());
      ps.setLong(8, trialId);
      ps.setInt(9, batch.attempt());
      ps.setLong(10, trialId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
