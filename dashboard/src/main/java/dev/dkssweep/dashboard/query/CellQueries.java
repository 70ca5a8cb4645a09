package dev.dkssweep.dashboard.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** A sweep's cells: the kernel view, the objective over seeds, the paper table, a cell's curves. */
final class CellQueries {

  private final Reads reads;

  CellQueries(Reads reads) {
    this.reads = reads;
  }

  /** A cell's kernel view, if the cell exists. */
  Optional<CellKernel> kernel(String sweepUid, int cellIndex) {
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
        reads.query(
            checksSql,
            rs -> new CellKernel.TrialInitCheck(rs.getInt(1), rs.getLong(2), rs.getString(3)),
            sweepUid,
            cellIndex);
    return reads
        .query(
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
   * A cell's learning curves over its seeds (current attempts): per metric and step the mean,
   * standard deviation and count, for curves with seed bands.
   */
  List<CurveBand> cellCurves(String sweepUid, int cellIndex, List<String> names) {
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
    return reads.query(
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
  List<CellAggregate> cells(String sweepUid, String method, String activation) {
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
    return reads.query(
        sql, CellQueries::aggregate, sweepUid, method, method, activation, activation);
  }

  /**
   * The paper table: per method, activation and depth, the objective (mean, std, n over seeds) at
   * the learning rate whose mean is best for the sweep's goal.
   */
  List<CellAggregate> paperTable(String sweepUid) {
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
    return reads.query(sql, CellQueries::aggregate, sweepUid);
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
}
