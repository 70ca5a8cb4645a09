package dev.dkssweep.dashboard.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The dashboard's read-only SQL: the sweeps list, a sweep's trial table, one trial's curves, and
 * the objective per cell over seeds (also as heatmap and paper table). Lists read the fields the
 * store maintains at ingest (trials.objective, counts), never metric_points; curves read
 * metric_points through its primary key.
 */
public final class DashboardQueries {

  /** FROM and WHERE of the trial table and its count; parameters from {@link #filterArgs}. */
  private static final String TRIALS_MATCHING =
      """
      FROM trials t JOIN cells c ON c.id = t.cell_id JOIN sweeps s ON s.id = t.sweep_id
       WHERE s.uid = ? AND (?::text IS NULL OR t.state = ?::text)
         AND (?::text IS NULL OR c.method = ?::text) AND (?::text IS NULL OR c.activation = ?::text)
      """;

  private final DataSource dataSource;

  public DashboardQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Sweeps, newest first, of one namespace or all (null). */
  public List<SweepRow> sweeps(String namespace, int limit) {
    return sweeps(namespace, null, null, limit);
  }

  /** A cell's kernel view, if the cell exists. */
  public java.util.Optional<CellKernel> kernel(String sweepUid, int cellIndex) {
    String cellSql =
        """
        SELECT c.cell_index, c.method, c.activation, c.architecture, c.depth, c.width,
               c.learning_rate, c.feasible, c.infeasible_reason, c.transform::text,
               c.diagnostics::text
          FROM cells c JOIN sweeps s ON s.id = c.sweep_id
         WHERE s.uid = ? AND c.cell_index = ?
        """;
    String checksSql =
        """
        SELECT t.trial_index, t.seed, (t.summary -> 'initCheck')::text
          FROM trials t JOIN cells c ON c.id = t.cell_id JOIN sweeps s ON s.id = t.sweep_id
         WHERE s.uid = ? AND c.cell_index = ? AND t.summary -> 'initCheck' IS NOT NULL
               AND jsonb_typeof(t.summary -> 'initCheck') = 'object'
         ORDER BY t.trial_index
        """;
    List<CellKernel.TrialInitCheck> checks =
        query(
            checksSql,
            rs -> new CellKernel.TrialInitCheck(rs.getInt(1), rs.getLong(2), rs.getString(3)),
            sweepUid,
            cellIndex);
    return query(
            cellSql,
            rs ->
                new CellKernel(
                    rs.getInt(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getInt(5),
                    rs.getInt(6),
                    rs.getDouble(7),
                    rs.getBoolean(8),
                    rs.getString(9),
                    rs.getString(10),
                    rs.getString(11),
                    checks),
            sweepUid,
            cellIndex)
        .stream()
        .findFirst();
  }

  /**
   * A marker that moves whenever a sweep or a trial changes (sweep versions and the event log):
   * what the live endpoint polls.
   */
  public String changeMarker() {
    String sql =
        "SELECT (SELECT coalesce(max(id), 0) FROM events) || ':'"
            + " || (SELECT coalesce(sum(version), 0) FROM sweeps) || ':'"
            + " || (SELECT count(*) FROM sweeps)";
    return query(sql, rs -> rs.getString(1)).get(0);
  }

  /** Sweeps of any of these namespaces, newest first. */
  public List<SweepRow> sweepsIn(List<String> namespaces, int limit) {
    return sweeps(null, null, namespaces.toArray(String[]::new), limit);
  }

  /** One sweep's line, if it exists. */
  public java.util.Optional<SweepRow> sweep(String uid) {
    return sweeps(null, uid, null, 1).stream().findFirst();
  }

  private List<SweepRow> sweeps(String namespace, String uid, String[] namespaces, int limit) {
    String sql =
        """
        SELECT s.uid, s.namespace, s.name, s.phase, s.objective_metric, s.objective_goal, s.created_at,
               count(t.id),
               count(t.id) FILTER (WHERE t.state NOT IN ('Pending', 'Running')),
               count(t.id) FILTER (WHERE t.state = 'Running'),
               count(t.id) FILTER (WHERE t.state = 'Failed'),
               CASE WHEN s.objective_goal = 'maximize' THEN max(t.objective) ELSE min(t.objective) END
          FROM sweeps s LEFT JOIN trials t ON t.sweep_id = s.id
         WHERE (?::text IS NULL OR s.namespace = ?::text) AND (?::text IS NULL OR s.uid = ?::text)
           AND (?::text[] IS NULL OR s.namespace = ANY (?::text[]))
         GROUP BY s.id
         ORDER BY s.created_at DESC, s.id DESC
         LIMIT ?
        """;
    return query(
        sql,
        rs ->
            new SweepRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getTimestamp(7).toInstant(),
                rs.getLong(8),
                rs.getLong(9),
                rs.getLong(10),
                rs.getLong(11),
                (Double) rs.getObject(12)),
        namespace,
        namespace,
        uid,
        uid,
        namespaces,
        namespaces,
        limit);
  }

  /** A page of a sweep's trials, filtered and sorted. */
  public TrialPage trials(String sweepUid, TrialFilter f) {
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
        query(
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
  public List<SweepEvent> events(String sweepUid, int limit) {
    String sql =
        """
        SELECT e.occurred_at, e.type, e.reason, e.message, t.trial_index
          FROM events e JOIN sweeps s ON s.id = e.sweep_id LEFT JOIN trials t ON t.id = e.trial_id
         WHERE s.uid = ?
         ORDER BY e.occurred_at DESC, e.id DESC
         LIMIT ?
        """;
    return query(
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
  public java.util.Optional<TrialDetail> trial(String sweepUid, int trialIndex) {
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
        query(
            eventsSql,
            rs ->
                new TrialDetail.Event(
                    rs.getTimestamp(1).toInstant(),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4)),
            sweepUid,
            trialIndex);
    return query(
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
    return query(sql, rs -> rs.getLong(1), filterArgs(sweepUid, f)).get(0);
  }

  /** The current attempt's points of the named metrics, by name and step. */
  public List<CurvePoint> curves(String sweepUid, int trialIndex, List<String> names) {
    String sql =
        """
        SELECT p.name, p.step, p.epoch, p.value
          FROM metric_points p
          JOIN trials t ON t.id = p.trial_id AND p.attempt = t.attempt
          JOIN sweeps s ON s.id = t.sweep_id
         WHERE s.uid = ? AND t.trial_index = ? AND p.name = ANY (?)
         ORDER BY p.name, p.step
        """;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, sweepUid);
      ps.setInt(2, trialIndex);
      ps.setArray(3, c.createArrayOf("text", names.toArray()));
      List<CurvePoint> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new CurvePoint(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getDouble(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new QueryException("curves of " + sweepUid + "-" + trialIndex, e);
    }
  }

  /**
   * A cell's learning curves over its seeds (current attempts): per metric and step the mean,
   * standard deviation and count, for curves with seed bands.
   */
  public List<CurveBand> cellCurves(String sweepUid, int cellIndex, List<String> names) {
    String sql =
        """
        SELECT p.name, p.step, avg(p.value), stddev_samp(p.value), count(*)
          FROM metric_points p
          JOIN trials t ON t.id = p.trial_id AND p.attempt = t.attempt
          JOIN cells c ON c.id = t.cell_id
          JOIN sweeps s ON s.id = t.sweep_id
         WHERE s.uid = ? AND c.cell_index = ? AND p.name = ANY (?::text[])
         GROUP BY p.name, p.step
         ORDER BY p.name, p.step
        """;
    return query(
        sql,
        rs ->
            new CurveBand(
                rs.getString(1),
                rs.getLong(2),
                rs.getDouble(3),
                (Double) rs.getObject(4),
                rs.getLong(5)),
        sweepUid,
        cellIndex,
        names.toArray(String[]::new));
  }

  /**
   * The objective of every cell over its seeds (trials with an objective), optionally one method
   * and activation only: the heatmap depth x learning rate.
   */
  public List<CellAggregate> cells(String sweepUid, String method, String activation) {
    String sql =
        """
        SELECT c.cell_index, c.method, c.activation, c.depth, c.learning_rate,
               avg(t.objective), stddev_samp(t.objective), count(t.objective)
          FROM cells c JOIN sweeps s ON s.id = c.sweep_id JOIN trials t ON t.cell_id = c.id
         WHERE s.uid = ? AND t.objective IS NOT NULL
           AND (?::text IS NULL OR c.method = ?::text) AND (?::text IS NULL OR c.activation = ?::text)
         GROUP BY c.id
         ORDER BY c.method, c.activation, c.depth, c.learning_rate
        """;
    return query(
        sql, DashboardQueries::aggregate, sweepUid, method, method, activation, activation);
  }

  /**
   * The paper table: per method, activation and depth, the objective (mean, std, n over seeds) at
   * the learning rate whose mean is best for the sweep's goal.
   */
  public List<CellAggregate> paperTable(String sweepUid) {
    String sql =
        """
        WITH agg AS (
            SELECT c.cell_index, c.method, c.activation, c.depth, c.learning_rate,
                   avg(t.objective) AS mean, stddev_samp(t.objective) AS std, count(t.objective) AS n,
                   s.objective_goal AS goal
              FROM cells c JOIN sweeps s ON s.id = c.sweep_id JOIN trials t ON t.cell_id = c.id
             WHERE s.uid = ? AND t.objective IS NOT NULL
             GROUP BY c.id, s.objective_goal
        ), ranked AS (
            SELECT agg.*, row_number() OVER (
                       PARTITION BY method, activation, depth
                       ORDER BY CASE WHEN goal = 'maximize' THEN -mean ELSE mean END, learning_rate) AS rank
              FROM agg
        )
        SELECT cell_index, method, activation, depth, learning_rate, mean, std, n
          FROM ranked WHERE rank = 1
         ORDER BY method, activation, depth
        """;
    return query(sql, DashboardQueries::aggregate, sweepUid);
  }

  private static Object[] filterArgs(String sweepUid, TrialFilter f, Object... more) {
    Object[] base = {
      sweepUid, f.state(), f.state(), f.method(), f.method(), f.activation(), f.activation()
    };
    Object[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static CellAggregate aggregate(ResultSet rs) throws SQLException {
    return new CellAggregate(
        rs.getInt(1),
        rs.getString(2),
        rs.getString(3),
        rs.getInt(4),
        rs.getDouble(5),
        rs.getDouble(6),
        (Double) rs.getObject(7),
        rs.getLong(8));
  }

  @FunctionalInterface
  private interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Row<T> row, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(row.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new QueryException(sql.strip().lines().findFirst().orElse(""), e);
    }
  }
}
