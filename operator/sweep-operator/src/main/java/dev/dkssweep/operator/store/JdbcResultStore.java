package dev.dkssweep.operator.store;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.IngestResult;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StaleVersionException;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialState;
import dev.dkssweep.sweep.store.TrialTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@link ResultStore} on PostgreSQL with plain JDBC: inserts are idempotent (ON CONFLICT DO NOTHING
 * on the natural keys), trial changes check and bump {@code version}, and metric ingest is {@link
 * JdbcMetricIngest}. Every method is one transaction.
 */
public final class JdbcResultStore implements ResultStore {

  private final DataSource dataSource;
  private final JdbcMetricIngest ingest;

  public JdbcResultStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.ingest = new JdbcMetricIngest(dataSource);
  }

  @Override
  public IngestResult appendMetrics(MetricBatch batch) {
    return ingest.append(batch);
  }

  @Override
  public void recordSweep(NewSweep s) {
    String sql =
        """
        INSERT INTO sweeps (uid, namespace, name, generation, spec, objective_metric, objective_goal)
        VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)
        ON CONFLICT (uid) DO NOTHING
        """;
    update(
        "record sweep " + s.uid(),
        sql,
        s.uid(),
        s.namespace(),
        s.name(),
        s.generation(),
        s.specJson(),
        s.objectiveMetric(),
        s.objectiveGoal());
  }

  @Override
  public void recordCells(String sweepUid, List<NewCell> cells) {
    String sql =
        """
        INSERT INTO cells (sweep_id, cell_index, method, activation, architecture, depth, width,
                           learning_rate, dataset, feasible, infeasible_reason, transform, diagnostics)
        SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb FROM sweeps WHERE uid = ?
        ON CONFLICT (sweep_id, cell_index) DO NOTHING
        """;
    List<Object[]> rows = new ArrayList<>();
    for (NewCell c : cells) {
      rows.add(
          new Object[] {
            c.cellIndex(),
            c.method(),
            c.activation(),
            c.architecture(),
            c.depth(),
            c.width(),
            c.learningRate(),
            c.dataset(),
            c.feasible(),
            c.infeasibleReason(),
            c.transformJson(),
            c.diagnosticsJson(),
            sweepUid
          });
    }
    batch("record cells of " + sweepUid, sweepUid, sql, rows);
  }

  @Override
  public void recordTrials(String sweepUid, List<NewTrial> trials) {
    String sql =
        """
        INSERT INTO trials (sweep_id, cell_id, trial_index, seed)
        SELECT s.id, c.id, ?, ? FROM sweeps s JOIN cells c ON c.sweep_id = s.id AND c.cell_index = ?
         WHERE s.uid = ?
        ON CONFLICT (sweep_id, trial_index) DO NOTHING
        """;
    List<Object[]> rows = new ArrayList<>();
    for (NewTrial t : trials) {
      rows.add(new Object[] {t.trialIndex(), t.seed(), t.cellIndex(), sweepUid});
    }
    batch("record trials of " + sweepUid, sweepUid, sql, rows);
    long known =
        trials(sweepUid).stream()
            .filter(st -> trials.stream().anyMatch(t -> t.trialIndex() == st.trialIndex()))
            .count();
    if (known != trials.size()) {
      throw new IllegalArgumentException(
          "some trials of "
              + sweepUid
              + " name a cell that is not recorded; record the cells first");
    }
  }

  @Override
  public List<StoredTrial> trials(String sweepUid) {
    String sql =
        """
        SELECT t.trial_index, c.cell_index, t.seed, t.state, t.attempt, t.version, t.worker,
               t.objective, t.point_count, t.last_step, t.failure_reason
          FROM trials t JOIN cells c ON c.id = t.cell_id JOIN sweeps s ON s.id = t.sweep_id
         WHERE s.uid = ?
         ORDER BY t.trial_index
        """;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, sweepUid);
      List<StoredTrial> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StoredTrial(
                  rs.getInt(1),
                  rs.getInt(2),
                  rs.getLong(3),
                  TrialState.ofColumn(rs.getString(4)),
                  rs.getInt(5),
                  rs.getLong(6),
                  rs.getString(7),
                  (Double) rs.getObject(8),
                  rs.getLong(9),
                  (Long) rs.getObject(10),
                  rs.getString(11)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("read trials of " + sweepUid, e);
    }
  }

  @Override
  public long transition(String sweepUid, int trialIndex, TrialTransition t) {
    String sql =
        """
        UPDATE trials tr
           SET state = ?, attempt = ?, worker = COALESCE(?, tr.worker),
               failure_reason = COALESCE(?, tr.failure_reason), version = tr.version + 1,
               started_at = CASE WHEN ? = 'Running' THEN now() ELSE tr.started_at END,
               finished_at = CASE WHEN ? THEN now() ELSE NULL END
          FROM sweeps s
         WHERE s.id = tr.sweep_id AND s.uid = ? AND tr.trial_index = ? AND tr.version = ?
        RETURNING tr.version
        """;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      set(
          ps,
          t.state().column(),
          t.attempt(),
          t.worker(),
          t.failureReason(),
          t.state().column(),
          t.state().finished(),
          sweepUid,
          trialIndex,
          t.expectedVersion());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("transition trial " + sweepUid + "-" + trialIndex, e);
    }
    throw new StaleVersionException(
        "trial "
            + sweepUid
            + "-"
            + trialIndex
            + " is not at version "
            + t.expectedVersion()
            + " (changed by another writer, or unknown); re-read it");
  }

  @Override
  public void recordSummary(String sweepUid, TrialSummary summary) {
    TrialKey key = TrialKey.parse(summary.trialId());
    String sql =
        """
        UPDATE trials t
           SET final_metrics = ?::jsonb, best_metrics = ?::jsonb, summary = ?::jsonb,
               objective = (?::jsonb ->> s.objective_metric)::float8
          FROM sweeps s
         WHERE s.id = t.sweep_id AND s.uid = ? AND t.trial_index = ? AND t.attempt = ?
        """;
    String finals = ProtocolJson.write(summary.finalMetrics());
    int n =
        update(
            "record summary of " + summary.trialId(),
            sql,
            finals,
            ProtocolJson.write(summary.bestMetrics()),
            ProtocolJson.write(summary),
            finals,
            sweepUid,
            key.trialIndex(),
            summary.attempt());
    if (n == 0) {
      throw new IllegalArgumentException(
          "no trial " + summary.trialId() + " at attempt " + summary.attempt() + " in " + sweepUid);
    }
  }

  @Override
  public void recordEvent(
      String sweepUid, Integer trialIndex, String type, String reason, String message) {
    String sql =
        """
        INSERT INTO events (sweep_id, trial_id, type, reason, message)
        SELECT s.id, (SELECT t.id FROM trials t WHERE t.sweep_id = s.id AND t.trial_index = ?),
               ?, ?, ?
          FROM sweeps s WHERE s.uid = ?
        """;
    update("record event of " + sweepUid, sql, trialIndex, type, reason, message, sweepUid);
  }

  private int update(String what, String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      set(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException(what, e);
    }
  }

  private void batch(String what, String sweepUid, String sql, List<Object[]> rows) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM sweeps WHERE uid = ?")) {
        check.setString(1, sweepUid);
        try (ResultSet rs = check.executeQuery()) {
          if (!rs.next()) {
            c.rollback();
            throw new IllegalArgumentException("unknown sweep " + sweepUid + "; record it first");
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (Object[] row : rows) {
          set(ps, row);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(what, e);
    }
  }

  private static void set(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
  }
}
