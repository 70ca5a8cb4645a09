package dev.dkssweep.store;

import dev.dkssweep.db.Sql;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.EpochPoint;
import dev.dkssweep.sweep.store.FinishedAttemptException;
import dev.dkssweep.sweep.store.IndexedTransition;
import dev.dkssweep.sweep.store.NewEvent;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.Settlement;
import dev.dkssweep.sweep.store.StaleVersionException;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialChanges;
import dev.dkssweep.sweep.store.TrialTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The trials table of {@link JdbcResultStore}: records, version-checked transitions, summaries, and
 * the per-epoch objective values the early-stopping rules read.
 */
final class JdbcTrials {

  private final Statements db;

  JdbcTrials(Statements db) {
    this.db = db;
  }

  void recordTrials(String sweepUid, List<NewTrial> trials) {
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
    db.batch("record trials of " + sweepUid, sweepUid, sql, rows);
    Set<Integer> recorded =
        trials(sweepUid).stream().map(StoredTrial::trialIndex).collect(Collectors.toSet());
    if (!trials.stream().allMatch(t -> recorded.contains(t.trialIndex()))) {
      throw new IllegalArgumentException(
          "some trials of "
              + sweepUid
              + " name a cell that is not recorded; record the cells first");
    }
  }

  private static final String TRIALS =
      """
      SELECT t.trial_index, c.cell_index, t.seed, t.state, t.attempt, t.failed_attempts,
             t.version, t.worker,
             t.objective, t.point_count, t.last_step, t.failure_reason, t.failure_kind,
             t.ended_attempt
        FROM trials t JOIN cells c ON c.id = t.cell_id JOIN sweeps s ON s.id = t.sweep_id
       WHERE s.uid = ?
      """;

  private static StoredTrial trial(ResultSet rs) throws SQLException {
    return new StoredTrial(
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
        rs.getString(13) == null ? null : FailureKind.ofColumn(rs.getString(13)),
        rs.getInt(14));
  }

  List<StoredTrial> trials(String sweepUid) {
    return db.query(
        "read trials of " + sweepUid,
        TRIALS + " ORDER BY t.trial_index",
        JdbcTrials::trial,
        sweepUid);
  }

  List<StoredTrial> trials(String sweepUid, Collection<Integer> trialIndices) {
    if (trialIndices.isEmpty()) {
      return List.of();
    }
    return db.query(
        "read " + trialIndices.size() + " trials of " + sweepUid,
        TRIALS + " AND t.trial_index = ANY(?) ORDER BY t.trial_index",
        JdbcTrials::trial,
        sweepUid,
        trialIndices.toArray(Integer[]::new));
  }

  /**
   * The trials written since {@code mark} (V12's changed_by): the new mark is the oldest
   * transaction still open before the read, so every write of a transaction below it is in this
   * read, and the next read asks for rows written at or above it.
   */
  TrialChanges trialsChangedSince(String sweepUid, long mark) {
    long next =
        db.query(
                "read the snapshot of " + sweepUid,
                "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint",
                rs -> rs.getLong(1))
            .get(0);
    List<StoredTrial> changed =
        mark == TrialChanges.FIRST
            ? trials(sweepUid)
            : db.query(
                "read the trials of " + sweepUid + " written since " + mark,
                TRIALS + " AND t.changed_by >= ?::text::xid8 ORDER BY t.trial_index",
                JdbcTrials::trial,
                sweepUid,
                Long.toString(mark));
    return new TrialChanges(changed, next);
  }

  /**
   * A version-checked change of one trial; {@link #transitionArgs} are its parameters. It updates
   * one row (the trial, now at the expected version + 1) or none (stale).
   */
  private static final String TRANSITION =
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
             summary = CASE WHEN ? = 'Running' THEN NULL ELSE tr.summary END,
             point_count = CASE WHEN ? = 'Running' AND ? <> tr.attempt THEN 0
                                ELSE tr.point_count END,
             last_step = CASE WHEN ? = 'Running' AND ? <> tr.attempt THEN NULL
                              ELSE tr.last_step END
        FROM sweeps s
       WHERE s.id = tr.sweep_id AND s.uid = ? AND tr.trial_index = ? AND tr.version = ?
      """;

  private static Object[] transitionArgs(String sweepUid, int trialIndex, TrialTransition t) {
    String state = t.state().column();
    String kind = t.failureKind() == null ? null : t.failureKind().column();
    return new Object[] {
      state,
      t.attempt(),
      t.worker(),
      state,
      t.failureReason(),
      t.failureReason(),
      state,
      kind,
      kind,
      state,
      t.state().finished(),
      state,
      state,
      state,
      state,
      state,
      state,
      t.attempt(),
      state,
      t.attempt(),
      sweepUid,
      trialIndex,
      t.expectedVersion()
    };
  }

  private static StaleVersionException stale(TrialId id, long expected) {
    return new StaleVersionException(
        "trial "
            + id
            + " is not at version "
            + expected
            + " (changed by another writer, or unknown); re-read it");
  }

  long transition(String sweepUid, int trialIndex, TrialTransition t) {
    TrialId id = new TrialId(sweepUid, trialIndex);
    if (db.update("transition trial " + id, TRANSITION, transitionArgs(sweepUid, trialIndex, t))
        == 0) {
      throw stale(id, t.expectedVersion());
    }
    return t.expectedVersion() + 1;
  }

  /**
   * Several transitions in one transaction, sent as one batch (one round trip to the database),
   * then their events in the same transaction; the first stale one rolls back all of it.
   */
  List<Long> transitions(
      String sweepUid, List<IndexedTransition> transitions, List<NewEvent> events) {
    return db.inTransaction(
        "transition " + transitions.size() + " trials of " + sweepUid,
        c -> {
          List<Long> versions = transitionAll(c, sweepUid, transitions);
          JdbcSweeps.insertEvents(c, sweepUid, events);
          return versions;
        });
  }

  private static List<Long> transitionAll(
      Connection c, String sweepUid, List<IndexedTransition> transitions) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TRANSITION)) {
      for (IndexedTransition x : transitions) {
        Sql.bind(ps, transitionArgs(sweepUid, x.trialIndex(), x.transition()));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      List<Long> versions = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        IndexedTransition x = transitions.get(i);
        if (counts[i] == 0) {
          throw stale(new TrialId(sweepUid, x.trialIndex()), x.transition().expectedVersion());
        }
        versions.add(x.transition().expectedVersion() + 1);
      }
      return versions;
    }
  }

  /** An attempt's summary, if the trial is at that attempt and it has not ended. */
  private static final String SUMMARY =
      """
      UPDATE trials t
         SET final_metrics = ?::jsonb, best_metrics = ?::jsonb, summary = ?::jsonb,
             objective = (SELECT CASE WHEN o IN ('NaN', 'Infinity', '-Infinity') THEN NULL
                                      ELSE o END
                            FROM (SELECT (CASE WHEN s.spec -> 'objective' ->> 'reduce'
                                                    IN ('max', 'min')
                                               THEN ?::jsonb ELSE ?::jsonb END
                                          ->> s.objective_metric)::float8 AS o) AS reported)
        FROM sweeps s
       WHERE s.id = t.sweep_id AND s.uid = ? AND t.trial_index = ? AND t.attempt = ?
         AND t.ended_attempt < t.attempt
      """;

  /** Counts a summary refused because its attempt had ended. */
  private static final String LATE_SUMMARY =
      """
      UPDATE trials t SET late_writes = late_writes + 1
        FROM sweeps s
       WHERE s.id = t.sweep_id AND s.uid = ? AND t.trial_index = ? AND t.attempt = ?
         AND t.attempt >= 1 AND t.ended_attempt >= t.attempt
      """;

  private static final String END_ATTEMPT =
      """
      UPDATE trials t SET ended_attempt = GREATEST(t.ended_attempt, ?)
        FROM sweeps s
       WHERE s.id = t.sweep_id AND s.uid = ? AND t.trial_index = ?
      """;

  private static Object[] summaryArgs(String sweepUid, TrialId trial, TrialSummary summary) {
    String finals = ProtocolJson.write(summary.finalMetrics());
    String best = ProtocolJson.write(summary.bestMetrics());
    return new Object[] {
      finals,
      best,
      ProtocolJson.write(summary),
      best,
      finals,
      sweepUid,
      trial.index(),
      summary.attempt()
    };
  }

  /**
   * Records an attempt's summary; its objective is the objective metric of its final or best
   * metrics (as the sweep's reduce says), none when that is not finite (a diverged trial's loss).
   */
  void recordSummary(String sweepUid, TrialSummary summary) {
    TrialId trial = JdbcMetricIngest.trialId(summary.trialId());
    int n =
        db.update(
            "record summary of " + summary.trialId(),
            SUMMARY,
            summaryArgs(sweepUid, trial, summary));
    if (n == 0) {
      if (db.update(
              "count a late summary of " + summary.trialId(),
              LATE_SUMMARY,
              sweepUid,
              trial.index(),
              summary.attempt())
          > 0) {
        throw new FinishedAttemptException(trial.attempt(summary.attempt()));
      }
      throw new IllegalArgumentException(
          "no trial " + summary.trialId() + " at attempt " + summary.attempt() + " in " + sweepUid);
    }
  }

  void endAttempt(String sweepUid, int trialIndex, int attempt) {
    db.update(
        "end attempt " + attempt + " of " + new TrialId(sweepUid, trialIndex),
        END_ATTEMPT,
        attempt,
        sweepUid,
        trialIndex);
  }

  /**
   * A settled attempt's outcome and end in one row write, its summary too when given ({@link
   * #settledArgs}): what {@link #TRANSITION} (to a state other than Running), {@link #SUMMARY} and
   * {@link #END_ATTEMPT} write one after the other, when the trial is at the expected version, at
   * the attempt, and the attempt has not ended. It updates one row, or none (then the three are
   * tried one by one, for what each of them can still write).
   */
  private static final String SETTLED =
      """
      UPDATE trials tr
         SET state = ?, attempt = ?, worker = COALESCE(?, tr.worker),
             failure_reason = COALESCE(?, tr.failure_reason),
             failure_kind = COALESCE(?, tr.failure_kind),
             version = tr.version + 1,
             finished_at = CASE WHEN ? THEN now() ELSE NULL END,
             failed_attempts = tr.failed_attempts
                               + CASE WHEN ? IN ('Failed', 'Diverged') THEN 1 ELSE 0 END,
             ended_attempt = GREATEST(tr.ended_attempt, ?),
             final_metrics = COALESCE(?::jsonb, tr.final_metrics),
             best_metrics = COALESCE(?::jsonb, tr.best_metrics),
             summary = COALESCE(?::jsonb, tr.summary),
             objective = CASE WHEN ?::jsonb IS NULL THEN tr.objective ELSE
                           (SELECT CASE WHEN o IN ('NaN', 'Infinity', '-Infinity') THEN NULL
                                        ELSE o END
                              FROM (SELECT (CASE WHEN s.spec -> 'objective' ->> 'reduce'
                                                      IN ('max', 'min')
                                                 THEN ?::jsonb ELSE ?::jsonb END
                                            ->> s.objective_metric)::float8 AS o) AS reported)
                         END
        FROM sweeps s
       WHERE s.id = tr.sweep_id AND s.uid = ? AND tr.trial_index = ? AND tr.version = ?
         AND tr.attempt = ? AND tr.ended_attempt < tr.attempt
      """;

  /** Whether {@link #SETTLED} can write the settlement at once (everything of one attempt). */
  private static boolean settledAtOnce(Settlement s) {
    TrialTransition t = s.outcome();
    if (t == null || t.state() == TrialState.RUNNING || t.attempt() != s.attempt()) {
      return false;
    }
    if (s.summary() == null) {
      return true;
    }
    try {
      TrialId trial = JdbcMetricIngest.trialId(s.summary().trialId());
      return trial.index() == s.trialIndex() && s.summary().attempt() == s.attempt();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static Object[] settledArgs(String sweepUid, Settlement s) {
    TrialTransition t = s.outcome();
    String state = t.state().column();
    TrialSummary summary = s.summary();
    String finals = summary == null ? null : ProtocolJson.write(summary.finalMetrics());
    String best = summary == null ? null : ProtocolJson.write(summary.bestMetrics());
    return new Object[] {
      state,
      t.attempt(),
      t.worker(),
      t.failureReason(),
      t.failureKind() == null ? null : t.failureKind().column(),
      t.state().finished(),
      state,
      s.attempt(),
      finals,
      best,
      summary == null ? null : ProtocolJson.write(summary),
      finals,
      best,
      finals,
      sweepUid,
      s.trialIndex(),
      t.expectedVersion(),
      s.attempt()
    };
  }

  /**
   * Settles exited attempts in one transaction: per attempt its summary (a refused one counted as
   * {@link #recordSummary} counts it), its version-checked outcome, then its end unless the outcome
   * was stale. A refusal is a result, not an error, so one attempt's cannot undo the others'. The
   * usual settlement (the trial at the attempt, as the round read it) is one row write ({@link
   * #SETTLED}), all of them in one batch; the others (superseded, stale, no outcome) take the steps
   * one by one.
   */
  List<Settlement.Result> settle(String sweepUid, List<Settlement> settlements) {
    return db.inTransaction(
        "settle " + settlements.size() + " attempts of " + sweepUid,
        c -> {
          Settlement.Result[] out = new Settlement.Result[settlements.size()];
          List<Integer> atOnce = new ArrayList<>();
          try (PreparedStatement once = c.prepareStatement(SETTLED)) {
            for (int i = 0; i < settlements.size(); i++) {
              if (settledAtOnce(settlements.get(i))) {
                Sql.bind(once, settledArgs(sweepUid, settlements.get(i)));
                once.addBatch();
                atOnce.add(i);
              }
            }
            int[] counts = atOnce.isEmpty() ? new int[0] : once.executeBatch();
            for (int k = 0; k < counts.length; k++) {
              if (counts[k] > 0) {
                out[atOnce.get(k)] = new Settlement.Result(false, false);
              }
            }
          }
          try (PreparedStatement summary = c.prepareStatement(SUMMARY);
              PreparedStatement late = c.prepareStatement(LATE_SUMMARY);
              PreparedStatement transition = c.prepareStatement(TRANSITION);
              PreparedStatement end = c.prepareStatement(END_ATTEMPT)) {
            for (int i = 0; i < settlements.size(); i++) {
              if (out[i] != null) {
                continue; // written at once
              }
              Settlement s = settlements.get(i);
              boolean refused = false;
              if (s.summary() != null) {
                refused = !recordSummary(summary, late, sweepUid, s.summary());
              }
              boolean stale = false;
              if (s.outcome() != null) {
                Sql.bind(transition, transitionArgs(sweepUid, s.trialIndex(), s.outcome()));
                stale = transition.executeUpdate() == 0;
              }
              if (!stale) {
                Sql.bind(end, s.attempt(), sweepUid, s.trialIndex());
                end.executeUpdate();
              }
              out[i] = new Settlement.Result(refused, stale);
            }
          }
          // the outcomes' events, in the same transaction: an outcome is never without its event
          List<NewEvent> events = new ArrayList<>();
          for (int i = 0; i < settlements.size(); i++) {
            Settlement s = settlements.get(i);
            if (!out[i].stale() && s.outcome() != null && s.event() != null) {
              events.add(s.event());
            }
          }
          JdbcSweeps.insertEvents(c, sweepUid, events);
          return List.of(out);
        });
  }

  /** One summary of a settlement; false when it was refused (and, if late, counted). */
  private static boolean recordSummary(
      PreparedStatement summary, PreparedStatement late, String sweepUid, TrialSummary s)
      throws SQLException {
    TrialId trial;
    try {
      trial = JdbcMetricIngest.trialId(s.trialId());
    } catch (IllegalArgumentException e) {
      return false;
    }
    Sql.bind(summary, summaryArgs(sweepUid, trial, s));
    if (summary.executeUpdate() > 0) {
      return true;
    }
    Sql.bind(late, sweepUid, trial.index(), s.attempt());
    late.executeUpdate();
    return false;
  }

  List<EpochPoint> epochValues(String sweepUid, String metric) {
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
    return db.query(
        "read " + metric + " per epoch of " + sweepUid,
        sql,
        rs ->
            new EpochPoint(
                rs.getInt(1), rs.getInt(2), rs.getDouble(3), Sql.instant(rs, 4).toEpochMilli()),
        metric,
        sweepUid);
  }
}
