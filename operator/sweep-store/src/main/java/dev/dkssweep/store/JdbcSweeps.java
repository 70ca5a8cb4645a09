package dev.dkssweep.store;

import dev.dkssweep.db.Sql;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewEvent;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.StoredCell;
import dev.dkssweep.sweep.store.StoredSweep;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The sweeps, cells and events tables of {@link JdbcResultStore}. */
final class JdbcSweeps {

  private final Statements db;

  JdbcSweeps(Statements db) {
    this.db = db;
  }

  void recordSweep(NewSweep s) {
    String sql =
        """
        INSERT INTO sweeps (uid, namespace, name, generation, spec, objective_metric, objective_goal)
        VALUES (?, ?, ?, ?, ?::jsonb, ?, ?)
        ON CONFLICT (uid) DO NOTHING
        """;
    db.update(
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

  void recordGeneration(String sweepUid, long generation, String specJson) {
    String sql =
        """
        UPDATE sweeps SET generation = ?, spec = ?::jsonb, version = version + 1
         WHERE uid = ? AND generation < ?
        """;
    db.update(
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

  Optional<StoredSweep> sweep(String uid) {
    return oneSweep("WHERE uid = ?", uid);
  }

  Optional<StoredSweep> latestSweep(String namespace, String name) {
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
    return db
        .query(
            "read sweep",
            sql,
            rs ->
                new StoredSweep(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getLong(4),
                    rs.getString(5),
                    SweepPhase.ofColumn(rs.getString(6)),
                    rs.getString(7) == null ? null : EventReason.ofCode(rs.getString(7)),
                    Sql.instant(rs, 8),
                    Sql.instant(rs, 9),
                    Sql.instant(rs, 10)),
            args)
        .stream()
        .findFirst();
  }

  void sweepPhase(String uid, SweepPhase phase, EventReason reason) {
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
    if (db.update("set phase of sweep " + uid, sql, p, r, p, p, uid) == 0) {
      throw new IllegalArgumentException("unknown sweep " + uid);
    }
  }

  void recordCells(String sweepUid, List<NewCell> cells) {
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
    db.batch("record cells of " + sweepUid, sweepUid, sql, rows);
  }

  List<StoredCell> cells(String sweepUid) {
    String sql =
        """
        SELECT c.cell_index, c.method, c.activation, c.architecture, c.depth, c.width,
               c.learning_rate, c.dataset
          FROM cells c JOIN sweeps s ON s.id = c.sweep_id
         WHERE s.uid = ?
         ORDER BY c.cell_index
        """;
    return db.query(
        "read cells of " + sweepUid,
        sql,
        rs ->
            new StoredCell(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getInt(6),
                rs.getDouble(7),
                rs.getString(8)),
        sweepUid);
  }

  /** Inserts one event; its arguments are {@link #eventArgs}. */
  static final String EVENT =
      """
      INSERT INTO events (sweep_id, trial_id, type, reason, message)
      SELECT s.id, (SELECT t.id FROM trials t WHERE t.sweep_id = s.id AND t.trial_index = ?),
             ?, ?, ?
        FROM sweeps s WHERE s.uid = ?
      """;

  void recordEvent(
      String sweepUid, Integer trialIndex, EventType type, EventReason reason, String message) {
    db.update(
        "record event of " + sweepUid,
        EVENT,
        trialIndex,
        type.column(),
        reason.code(),
        message,
        sweepUid);
  }

  /** The arguments of {@link #EVENT} for one event. */
  static Object[] eventArgs(String sweepUid, NewEvent e) {
    return new Object[] {
      e.trialIndex(), e.type().column(), e.reason().code(), e.message(), sweepUid
    };
  }

  /** Inserts {@code events} of one sweep on {@code c}, in its transaction (one batch). */
  static void insertEvents(java.sql.Connection c, String sweepUid, List<NewEvent> events)
      throws java.sql.SQLException {
    if (events.isEmpty()) {
      return;
    }
    try (java.sql.PreparedStatement ps = c.prepareStatement(EVENT)) {
      for (NewEvent e : events) {
        Sql.bind(ps, eventArgs(sweepUid, e));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  void recordEvents(String sweepUid, List<NewEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>();
    for (NewEvent e : events) {
      rows.add(eventArgs(sweepUid, e));
    }
    db.batch("record " + events.size() + " events of " + sweepUid, sweepUid, EVENT, rows);
  }
}
