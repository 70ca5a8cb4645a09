package dev.dkssweep.dashboard.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The trial table of a sweep, one trial with its events, a trial's curves. */
final class TrialQueries {

  /** FROM and WHERE of the trial table and its count; parameters from {@link #filterArgs}. */
  private static final String TRIALS_MATCHING =
      """
      FROM trials t JOIN cells c ON c.id = t.cell_id JOIN sweeps s ON s.id = t.sweep_id
       WHERE s.uid = ? AND (?::text IS NULL OR t.state = ?::text)
         AND (?::text IS NULL OR c.method = ?::text) AND (?::text IS NULL OR c.activation = ?::text)
      """;

  /** A page of a sweep's trials, filtered and sorted. */
  TrialPage trials(String sweepUid, TrialFilter f) {
    String sql =
        """
        SELECT t.trial_index, t.state, c.cell_index, c.method, c.activation, c.depth, c.width,
               c.learning_rate, t.seed, t.attempt, t.objective,
               EXTRACT(EPOCH FROM (t.finished_at - t.started_at))::float8, t.failure_reason,
               count(*) OVER ()
        %s
         ORDER BY %s
        OFFSET ? LIMIT ?
        """
            .formatted(TRIALS_MATCHING, f.orderBy());
    long[] total = {0};
    List<TrialRow> rows =
        reads.query(
            sql,
            rs -> {
              total[0] = rs.getLong(14);
              return trialRow(rs);
            },
            filterArgs(sweepUid, f, f.offset(), f.limit()));
    if (rows.isEmpty() && f.offset() > 0) {
      return new TrialPage(count(sweepUid, f), rows);
    }
    return new TrialPage(total[0], rows);
  }

  /** The sweep's latest events (its own and its trials'), newest first. */
  List<SweepEvent> events(String sweepUid, int limit) {
    String sql =
        """
        SELECT e.occurred_at, e.type, e.reason, e.message, t.trial_index
          FROM events e JOIN sweeps s ON s.id = e.sweep_id LEFT JOIN trials t ON t.id = e.trial_id
         WHERE s.uid = ?
         ORDER BY e.occurred_at DESC, e.id DESC
         LIMIT ?
        """;
    return reads.query(
        sql,
        rs ->
            new SweepEvent(
                rs.getTimestamp(1).toInstant(),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                (Integer) rs.getObject(5)),
        sweepUid,
        limit);
  }

  /** One trial with its summary and events (at most 200, newest first), if it exists. */
  Optional<TrialDetail> trial(String sweepUid, int trialIndex) {
    String sql =
        """
        SELECT t.trial_index, t.state, c.cell_index, c.method, c.activation, c.depth, c.width,
               c.learning_rate, t.seed, t.attempt, t.objective,
               EXTRACT(EPOCH FROM (t.finished_at - t.started_at))::float8, t.failure_reason,
               t.worker, t.started_at, t.finished_at, t.summary::text
          FROM trials t JOIN cells c ON c.id = t.cell_id JOIN sweeps s ON s.id = t.sweep_id
         WHERE s.uid = ? AND t.trial_index = ?
        """;
    String eventsSql =
        """
        SELECT e.occurred_at, e.type, e.reason, e.message
          FROM events e JOIN trials t ON t.id = e.trial_id JOIN sweeps s ON s.id = t.sweep_id
         WHERE s.uid = ? AND t.trial_index = ?
         ORDER BY e.occurred_at DESC, e.id DESC
         LIMIT 200
        """;
    List<TrialDetail.Event> events =
        reads.query(
            eventsSql,
            rs ->
                new TrialDetail.Event(
                    rs.getTimestamp(1).toInstant(),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4)),
            sweepUid,
            trialIndex);
    return reads
        .query(
            sql,
            rs ->
                new TrialDetail(
                    trialRow(rs),
                    rs.getString(14),
                    rs.getTimestamp(15) == null ? null : rs.getTimestamp(15).toInstant(),
                    rs.getTimestamp(16) == null ? null : rs.getTimestamp(16).toInstant(),
                    rs.getString(17),
                    events),
            sweepUid,
            trialIndex)
        .stream()
        .findFirst();
  }

  /** A trial line from columns 1-13 of the trial queries' shared select list. */
  private static TrialRow trialRow(ResultSet rs) throws SQLException {
    return new TrialRow(
        rs.getInt(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        rs.getInt(7),
        rs.getDouble(8),
        rs.getLong(9),
        rs.getInt(10),
        (Double) rs.getObject(11),
        (Double) rs.getObject(12),
        rs.getString(13));
  }

  private long count(String sweepUid, TrialFilter f) {
    String sql =
        """
        SELECT count(*) %s
        """
            .formatted(TRIALS_MATCHING);
    return reads.query(sql, rs -> rs.getLong(1), filterArgs(sweepUid, f)).get(0);
  }

  /** The current attempt's points of the named metrics, by name and step. */
  List<CurvePoint> curves(String sweepUid, int trialIndex, List<String> names) {
    String sql =
        """
        SELECT p.name, p.step, p.epoch, p.value
          FROM metric_points p
          JOIN trials t ON t.id = p.trial_id AND p.attempt = t.attempt
          JOIN sweeps s ON s.id = t.sweep_id
         WHERE s.uid = ? AND t.trial_index = ? AND p.name = ANY (?::text[])
         ORDER BY p.name, p.step
        """;
    return reads.query(
        sql,
        rs -> new CurvePoint(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getDouble(4)),
        sweepUid,
        trialIndex,
        names.toArray(String[]::new));
  }

  private static Object[] filterArgs(String sweepUid, TrialFilter f, Object... more) {
    Object[] base = {
      sweepUid, f.state(), f.state(), f.method(), f.method(), f.activation(), f.activation()
    };
    Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private final Reads reads;

  TrialQueries(Reads reads) {
    this.reads = reads;
  }
}
