package dev.dkssweep.store;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.EpochPoint;
import dev.dkssweep.sweep.store.IngestResult;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StaleVersionException;
import dev.dkssweep.sweep.store.StoredCell;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        s.objectiveGoal().code());
  }

  @Override
  public void recordGeneration(String sweepUid, long generation, String specJson) {
    String sql =
        """
        UPDATE sweeps SET generation = ?, spec = ?::jsonb, version = version + 1
         WHERE uid = ? AND generation < ?
        """;
    update(
        "record generation " + generation + " of " + sweepUid,
        sql,
        generation,
        specJson,
        sweepUid,
        generation);
    if (sweep(sweepUid).isEmpty()) {
      throw new IllegalArgumentException("unknown sweep " + sweepUid + "; record it first");
    }
  }

  @Override
  public List<StoredCell> cells(String sweepUid) {
    String sql =
        """
        SELECT c.cell_index, c.method, c.activation, c.architecture, c.depth, c.width,
               c.learning_rate, c.dataset
          FROM cells c JOIN sweeps s ON s.id = c.sweep_id
         WHERE s.uid = ?
         ORDER BY c.cell_index
        """;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, sweepUid);
      List<StoredCell> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StoredCell(
                  rs.getInt(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getInt(6),
                  rs.getDouble(7),
                  rs.getString(8)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("read cells of " + sweepUid, e);
    }
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
        SELECT t.trial_index, c.cell_index, t.seed, t.state, t.attempt, t.failed_attempts,
               t.version, t.worker,
               t.objective, t.point_count, t.last_step, t.failure_reason, t.failure_kind
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
                  rs.getInt(6),
                  rs.getLong(7),
                  rs.getString(8),
                  (Double) rs.getObject(9),
                  rs.getLong(10),
                  (Long) rs.getObject(11),
                  rs.getString(12),
                  rs.getString(13) == null ? null : FailureKind.ofColumn(rs.getString(13))));
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
               failure_reason = CASE WHEN ? = 'Running' THEN ?
                                     ELSE COALESCE(?, tr.failure_reason) END,
               failure_kind = CASE WHEN ? = 'Running' THEN ?
                                   ELSE COALESCE(?, tr.failure_kind) END,
               version = tr.version + 1,
               started_at = CASE WHEN ? = 'Running' THEN now() ELSE tr.started_at END,
               finished_at = CASE WHEN ? THEN now() ELSE NULL END,
               failed_attempts = tr.failed_attempts
                                 + CASE WHEN ? IN ('Failed', 'Diverged') THEN 1 ELSE 0 END,
               objective = CASE WHEN ? = 'Running' THEN NULL ELSE tr.objective END,
               final_metrics = CASE WHEN ? = 'Running' THEN NULL ELSE tr.final_metrics END,
               best_metrics = CASE WHEN ? = 'Running' THEN NULL ELSE tr.best_metrics END,
               summary = CASE WHEN ? = 'Running' THEN NULL ELSE tr.summary END
          FROM sweeps s
         WHERE s.id = tr.sweep_id AND s.uid = ? AND tr.trial_index = ? AND tr.version = ?
        RETURNING tr.version
        """;
    String kind = t.failureKind() == null ? null : t.failureKind().column();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      set(
          ps,
          t.state().column(),
          t.attempt(),
          t.worker(),
          t.state().column(),
          t.failureReason(),
          t.failureReason(),
          t.state().column(),
          kind,
          kind,
          t.state().column(),
          t.state().finished(),
          t.state().column(),
          t.state().column(),
          t.state().column(),
          t.state().column(),
          t.state().column(),
          sweepUid,
          trialIndex,
          t.expectedVersion());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("transition trial " + new TrialId(sweepUid, trialIndex), e);
    }
    throw new StaleVersionException(
        "trial "
            + new TrialId(sweepUid, trialIndex)
            + " is not at version "
            + t.expectedVersion()
            + " (changed by another writer, or unknown); re-read it");
  }

  @Override
  public void recordSummary(String sweepUid, TrialSummary summary) {
    TrialId trial = JdbcMetricIngest.trialId(summary.trialId());
    String sql =
        """
        UPDATE trials t
           SET final_metrics = ?::jsonb, best_metrics = ?::jsonb, summary = ?::jsonb,
               objective = (CASE WHEN s.spec -> 'objective' ->> 'reduce' IN ('max', 'min')
                                 THEN ?::jsonb ELSE ?::jsonb END ->> s.objective_metric)::float8
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
            ProtocolJson.write(summary.bestMetrics()),
            finals,
            sweepUid,
            trial.index(),
            summary.attempt());
    if (n == 0) {
      throw new IllegalArgumentException(
          "no trial " + summary.trialId() + " at attempt " + summary.attempt() + " in " + sweepUid);
    }
  }

  @Override
  public Optional<StoredSweep> sweep(String uid) {
    return oneSweep("WHERE uid = ?", uid);
  }

  @Override
  public Optional<StoredSweep> latestSweep(String namespace, String name) {
    return oneSweep(
        "WHERE namespace = ? AND name = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        namespace,
        name);
  }

  private Optional<StoredSweep> oneSweep(String where, Object... args) {
    String sql =
        "SELECT uid, namespace, name, generation, spec::text, phase, phase_reason, created_at,"
            + " started_at, finished_at FROM sweeps "
            + where;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      set(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new StoredSweep(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                SweepPhase.ofColumn(rs.getString(6)),
                rs.getString(7) == null ? null : EventReason.ofCode(rs.getString(7)),
                instant(rs, 8),
                instant(rs, 9),
                instant(rs, 10)));
      }
    } catch (SQLException e) {
      throw new StoreException("read sweep", e);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  @Override
  public void sweepPhase(String uid, SweepPhase phase, EventReason reason) {
    String sql =
        """
        UPDATE sweeps
           SET phase = ?, phase_reason = ?, version = version + 1,
               started_at = CASE WHEN ? = 'Running' THEN COALESCE(started_at, now())
                                 ELSE started_at END,
               finished_at = CASE WHEN ? IN ('Complete', 'Failed') THEN now() ELSE NULL END
         WHERE uid = ?
        """;
    String p = phase.column();
    String r = reason == null ? null : reason.code();
    if (update("set phase of sweep " + uid, sql, p, r, p, p, uid) == 0) {
      throw new IllegalArgumentException("unknown sweep " + uid);
    }
  }

  @Override
  public List<EpochPoint> epochValues(String sweepUid, String metric) {
    String sql =
        """
        SELECT DISTINCT ON (t.trial_index, p.epoch)
               t.trial_index, p.epoch, p.value, p.recorded_at
          FROM sweeps s
          JOIN trials t ON t.sweep_id = s.id
          JOIN metric_points p ON p.trial_id = t.id AND p.attempt = t.attempt AND p.name = ?
         WHERE s.uid = ?
         ORDER BY t.trial_index, p.epoch, p.step DESC
        """;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      set(ps, metric, sweepUid);
      List<EpochPoint> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new EpochPoint(
                  rs.getInt(1), rs.getInt(2), rs.getDouble(3), instant(rs, 4).toEpochMilli()));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("read " + metric + " per epoch of " + sweepUid, e);
    }
  }

  @Override
  public void recordEvent(
      String sweepUid, Integer trialIndex, EventType type, EventReason reason, String message) {
    String sql =
        """
        INSERT INTO events (sweep_id, trial_id, type, reason, message)
        SELECT s.id, (SELECT t.id FROM trials t WHERE t.sweep_id = s.id AND t.trial_index = ?),
               ?, ?, ?
          FROM sweeps s WHERE s.uid = ?
        """;
    update(
        "record event of " + sweepUid,
        sql,
        trialIndex,
        type.column(),
        reason.code(),
        message,
        sweepUid);
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
