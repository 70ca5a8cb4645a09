package dev.dkssweep.store;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.EpochPoint;
import dev.dkssweep.sweep.store.IndexedTransition;
import dev.dkssweep.sweep.store.IngestResult;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewEvent;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredCell;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link ResultStore} on PostgreSQL with plain JDBC: inserts are idempotent (ON CONFLICT DO NOTHING
 * on the natural keys), trial changes check and bump {@code version}. The sweeps, cells and events
 * are {@link JdbcSweeps}, the trials {@link JdbcTrials}, metric ingest {@link JdbcMetricIngest}.
 * Every method is one transaction (the batch methods too: all or none).
 */
public final class JdbcResultStore implements ResultStore {

  private final JdbcSweeps sweeps;
  private final JdbcTrials trials;
  private final JdbcMetricIngest ingest;

  public JdbcResultStore(DataSource dataSource) {
    Statements db = new Statements(dataSource);
    this.sweeps = new JdbcSweeps(db);
    this.trials = new JdbcTrials(db);
    this.ingest = new JdbcMetricIngest(dataSource);
  }

  @Override
  public IngestResult appendMetrics(MetricBatch batch) {
    return ingest.append(batch);
  }

  @Override
  public void recordSweep(NewSweep sweep) {
    sweeps.recordSweep(sweep);
  }

  @Override
  public void recordGeneration(String sweepUid, long generation, String specJson) {
    sweeps.recordGeneration(sweepUid, generation, specJson);
  }

  @Override
  public void recordCells(String sweepUid, List<NewCell> cells) {
    sweeps.recordCells(sweepUid, cells);
  }

  @Override
  public List<StoredCell> cells(String sweepUid) {
    return sweeps.cells(sweepUid);
  }

  @Override
  public void recordTrials(String sweepUid, List<NewTrial> newTrials) {
    trials.recordTrials(sweepUid, newTrials);
  }

  @Override
  public List<StoredTrial> trials(String sweepUid) {
    return trials.trials(sweepUid);
  }

  @Override
  public dev.dkssweep.sweep.store.TrialChanges trialsChangedSince(String sweepUid, long mark) {
    return trials.trialsChangedSince(sweepUid, mark);
  }

  @Override
  public List<StoredTrial> trials(String sweepUid, java.util.Collection<Integer> trialIndices) {
    return trials.trials(sweepUid, trialIndices);
  }

  @Override
  public long transition(String sweepUid, int trialIndex, TrialTransition transition) {
    return trials.transition(sweepUid, trialIndex, transition);
  }

  @Override
  public List<Long> transitions(
      String sweepUid, List<IndexedTransition> transitions, List<NewEvent> events) {
    return trials.transitions(sweepUid, transitions, events);
  }

  @Override
  public void recordEvents(String sweepUid, List<NewEvent> events) {
    sweeps.recordEvents(sweepUid, events);
  }

  @Override
  public void endAttempt(String sweepUid, int trialIndex, int attempt) {
    trials.endAttempt(sweepUid, trialIndex, attempt);
  }

  @Override
  public void recordSummary(String sweepUid, TrialSummary summary) {
    trials.recordSummary(sweepUid, summary);
  }

  @Override
  public List<dev.dkssweep.sweep.store.Settlement.Result> settle(
      String sweepUid, List<dev.dkssweep.sweep.store.Settlement> settlements) {
    return settlements.isEmpty() ? List.of() : trials.settle(sweepUid, settlements);
  }

  @Override
  public Optional<StoredSweep> sweep(String uid) {
    return sweeps.sweep(uid);
  }

  @Override
  public Optional<StoredSweep> latestSweep(String namespace, String name) {
    return sweeps.latestSweep(namespace, name);
  }

  @Override
  public void sweepPhase(String uid, SweepPhase phase, EventReason reason) {
    sweeps.sweepPhase(uid, phase, reason);
  }

  @Override
  public List<EpochPoint> epochValues(String sweepUid, String metric) {
    return trials.epochValues(sweepUid, metric);
  }

  @Override
  public void recordEvent(
      String sweepUid, Integer trialIndex, EventType type, EventReason reason, String message) {
    sweeps.recordEvent(sweepUid, trialIndex, type, reason, message);
  }
}
