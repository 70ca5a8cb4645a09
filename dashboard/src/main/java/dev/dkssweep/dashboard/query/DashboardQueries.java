package dev.dkssweep.dashboard.query;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The dashboard's read-only SQL: the sweeps list, a sweep's trial table, one trial's curves, and
 * the objective per cell over seeds (also as heatmap and paper table). Lists read the fields the
 * store maintains at ingest (trials.objective, counts), never metric_points; curves read
 * metric_points through its primary key.
 */
public final class DashboardQueries {

  private final Reads reads;
  private final TrialQueries trials;
  private final CellQueries cells;

  public DashboardQueries(DataSource dataSource) {
    this.reads = new Reads(dataSource);
    this.trials = new TrialQueries(reads);
    this.cells = new CellQueries(reads);
  }

  /** A cell's kernel view, if the cell exists. */
  public Optional<CellKernel> kernel(String sweepUid, int cellIndex) {
    return cells.kernel(sweepUid, cellIndex);
  }

  /** A page of a sweep's trials, filtered and sorted. */
  public TrialPage trials(String sweepUid, TrialFilter f) {
    return trials.trials(sweepUid, f);
  }

  /** The sweep's latest events (its own and its trials'), newest first. */
  public List<SweepEvent> events(String sweepUid, int limit) {
    return trials.events(sweepUid, limit);
  }

  /** One trial with its summary and events (at most 200, newest first), if it exists. */
  public Optional<TrialDetail> trial(String sweepUid, int trialIndex) {
    return trials.trial(sweepUid, trialIndex);
  }

  /** The current attempt's points of the named metrics, by name and step. */
  public List<CurvePoint> curves(String sweepUid, int trialIndex, List<String> names) {
    return trials.curves(sweepUid, trialIndex, names);
  }

  /**
   * A cell's learning curves over its seeds (current attempts): per metric and step the mean,
   * standard deviation and count, for curves with seed bands.
   */
  public List<CurveBand> cellCurves(String sweepUid, int cellIndex, List<String> names) {
    return cells.cellCurves(sweepUid, cellIndex, names);
  }

  /**
   * The objective of every cell over its seeds (trials with an objective), optionally one method
   * and activation only: the heatmap depth x learning rate.
   */
  public List<CellAggregate> cells(String sweepUid, String method, String activation) {
    return cells.cells(sweepUid, method, activation);
  }

  /**
   * The paper table: per method, activation and depth, the objective (mean, std, n over seeds) at
   * the learning rate whose mean is best for the sweep's goal.
   */
  public List<CellAggregate> paperTable(String sweepUid) {
    return cells.paperTable(sweepUid);
  }

  /** Sweeps, newest first, of one namespace or all (null). */
  public List<SweepRow> sweeps(String namespace, int limit) {
    return sweeps(namespace, null, null, limit);
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
    return reads.query(sql, rs -> rs.getString(1)).get(0);
  }

  /** Sweeps of any of these namespaces, newest first. */
  public List<SweepRow> sweepsIn(List<String> namespaces, int limit) {
    return sweeps(null, null, namespaces.toArray(String[]::new), limit);
  }

  /** One sweep's line, if it exists. */
  public Optional<SweepRow> sweep(String uid) {
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
    return reads.query(
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
}
