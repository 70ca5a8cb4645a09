package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The system of record for sweeps, cells, trials, metric points and events (docs/design.md,
 * "PostgreSQL is the system of record"). Every write is idempotent or guarded by an optimistic
 * version, so the reconciler can repeat itself after a crash and two operator replicas cannot lose
 * each other's updates.
 */
public interface ResultStore {

  /** Records a sweep once (by uid); repeating it is a no-op. */
  void recordSweep(NewSweep sweep);

  /**
   * Replaces the recorded spec with a later generation's (its cells and trials are recorded
   * separately); a generation not newer than the recorded one is a no-op.
   */
  void recordGeneration(String sweepUid, long generation, String specJson);

  /** Records cells of a sweep; cells already recorded (same index) are left as they are. */
  void recordCells(String sweepUid, List<NewCell> cells);

  /** Every recorded cell of a sweep, by index. */
  List<StoredCell> cells(String sweepUid);

  /** Records trials of a sweep; trials already recorded (same index) are left as they are. */
  void recordTrials(String sweepUid, List<NewTrial> trials);

  /** Every trial of a sweep, by index: the reconciler's view after a restart. */
  List<StoredTrial> trials(String sweepUid);

  /**
   * The trials of a sweep with these indices, by index (unknown ones left out): what a round
   * re-reads of the trials it changed, instead of every trial of the sweep.
   */
  List<StoredTrial> trials(String sweepUid, Collection<Integer> trialIndices);

  /**
   * The trials of a sweep written (by anyone: a controller's transitions, ingest's point counts and
   * summaries) since the read that returned {@code mark}, with the mark for the next read; {@link
   * TrialChanges#FIRST} reads every trial. A trial written after the mark's read is in the answer,
   * perhaps again in the following one; a trial not in it is as the earlier reads returned it.
   */
  TrialChanges trialsChangedSince(String sweepUid, long mark);

  /**
   * Changes a trial's state if it is still at the expected version. Moving to Running clears the
   * previous attempt's results (objective, metrics, summary, failure reason); moving to Failed or
   * Diverged counts a failed attempt.
   *
   * @return the new version
   * @throws StaleVersionException when another writer got there first
   */
  long transition(String sweepUid, int trialIndex, TrialTransition transition);

  /**
   * {@link #transition}s of several trials of one sweep, all or none (one transaction: a launch
   * wave costs one commit, not one per trial).
   *
   * @return the new versions, in order
   * @throws StaleVersionException when any trial is not at its expected version; nothing changed
   */
  default List<Long> transitions(String sweepUid, List<IndexedTransition> transitions) {
    return transitions(sweepUid, transitions, List.of());
  }

  /**
   * {@link #transitions} and the events that record them, all or none (one transaction): a driver
   * that dies after the rows are written has written their events too (a launch wave's attempts and
   * their Launched events).
   *
   * @return the new versions, in order
   * @throws StaleVersionException when any trial is not at its expected version; nothing changed,
   *     no event written
   */
  List<Long> transitions(
      String sweepUid, List<IndexedTransition> transitions, List<NewEvent> events);

  /**
   * Records that an attempt has ended (its exit is settled): from now on its record is final and
   * every write for it ({@link #appendMetrics}, {@link #recordSummary}) is refused with {@link
   * FinishedAttemptException} and counted. Repeating it is a no-op.
   */
  void endAttempt(String sweepUid, int trialIndex, int attempt);

  /**
   * Stores an attempt's final summary: metrics, objective (the sweep's objective metric, reduced as
   * the spec says: the final value for {@code last}, the best value for {@code max} or {@code min})
   * and the summary document.
   *
   * @throws FinishedAttemptException when the attempt has ended
   */
  void recordSummary(String sweepUid, TrialSummary summary);

  /**
   * Settles exited attempts of one sweep: for each, its summary (refused as {@link #recordSummary}
   * refuses one, and then counted as a late write), its outcome ({@link #transition}; a stale one
   * writes nothing more of that attempt), its end ({@link #endAttempt}) and the outcome's event.
   * The JDBC store writes them all in one transaction (a round's exits cost one commit, not four
   * each, and an outcome is never recorded without its event); this default writes them one by one.
   *
   * @return what became of each settlement, in order
   */
  default List<Settlement.Result> settle(String sweepUid, List<Settlement> settlements) {
    List<Settlement.Result> out = new java.util.ArrayList<>();
    for (Settlement s : settlements) {
      boolean refused = false;
      if (s.summary() != null) {
        try {
          recordSummary(sweepUid, s.summary());
        } catch (RejectedBatchException | FinishedAttemptException | IllegalArgumentException e) {
          refused = true;
        }
      }
      boolean stale = false;
      if (s.outcome() != null) {
        try {
          transition(sweepUid, s.trialIndex(), s.outcome());
        } catch (StaleVersionException e) {
          stale = true;
        }
      }
      if (!stale) {
        endAttempt(sweepUid, s.trialIndex(), s.attempt());
        if (s.outcome() != null && s.event() != null) {
          recordEvents(sweepUid, List.of(s.event()));
        }
      }
      out.add(new Settlement.Result(refused, stale));
    }
    return out;
  }

  /** The sweep with this uid, if recorded. */
  Optional<StoredSweep> sweep(String uid);

  /** The most recently created sweep of this namespace and name, if any (local mode's resume). */
  Optional<StoredSweep> latestSweep(String namespace, String name);

  /**
   * Moves a sweep to {@code phase} with the reason (null for none); the first move to Running sets
   * {@code startedAt}, a finished phase sets the finish time.
   */
  void sweepPhase(String uid, SweepPhase phase, EventReason reason);

  /**
   * The current attempt's values of {@code metric} per epoch (the last step of each epoch), for
   * every trial of the sweep: what the early-stopping rules read.
   */
  List<EpochPoint> epochValues(String sweepUid, String metric);

  /** Appends an event of the sweep (trialIndex null) or of one trial. */
  void recordEvent(
      String sweepUid, Integer trialIndex, EventType type, EventReason reason, String message);

  /** Appends several events of one sweep, all or none (one transaction). */
  void recordEvents(String sweepUid, List<NewEvent> events);

  /**
   * Stores a batch of one trial attempt's points, all or nothing. A point already stored (same
   * trial, attempt, name and step) is skipped, so a repeated batch is a no-op.
   *
   * @throws RejectedBatchException naming every problem; nothing is written
   * @throws FinishedAttemptException when the attempt has ended; nothing is written
   */
  IngestResult appendMetrics(MetricBatch batch);
}
