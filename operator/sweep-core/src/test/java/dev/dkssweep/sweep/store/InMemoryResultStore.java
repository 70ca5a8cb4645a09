package dev.dkssweep.sweep.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ResultStore} in memory, for the round's unit tests: the same semantics as the JDBC store
 * ({@code ResultStoreContract} runs against both), without a database. Synchronized: tests may
 * ingest from another thread.
 */
public final class InMemoryResultStore implements ResultStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An event as recorded. */
  public record Event(
      String sweepUid, Integer trialIndex, EventType type, EventReason reason, String message) {}

  private record PointKey(int attempt, String name, long step) {}

  private static final class Sweep {
    StoredSweep row;
    String metric;
    final TreeMap<Integer, StoredCell> cells = new TreeMap<>();
    final TreeMap<Integer, Trial> trials = new TreeMap<>();
  }

  /** A trial's mutable state; {@link #row()} is what the store hands out. */
  private static final class Trial {
    final int index;
    final int cell;
    final long seed;
    TrialState state = TrialState.PENDING;
    int attempt;
    int failedAttempts;
    long version;
    String worker;
    Double objective;
    long pointCount;
    Long lastStep;
    String failureReason;
    FailureKind failureKind;
    int endedAttempt;
    long lateWrites;
    TrialSummary summary;
    final Map<PointKey, MetricPoint> points = new LinkedHashMap<>();
    StoredTrial stamped; // the row as the last trialsChangedSince saw it
    long changedAt; // that read's stamp when the row had changed

    Trial(int index, int cell, long seed) {
      this.index = index;
      this.cell = cell;
      this.seed = seed;
    }

    StoredTrial row() {
      return new StoredTrial(
          index,
          cell,
          seed,
          state,
          attempt,
          failedAttempts,
          version,
          worker,
          objective,
          pointCount,
          lastStep,
          failureReason,
          failureKind,
          endedAttempt);
    }
  }

  private final Clock clock;
  private final Map<String, Sweep> sweeps = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private long changeStamps;

  public InMemoryResultStore(Clock clock) {
    this.clock = clock;
  }

  /** Every event recorded so far, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The summary recorded for a trial's current attempt, if any. */
  public synchronized Optional<TrialSummary> summary(String uid, int trialIndex) {
    return Optional.ofNullable(trial(uid, trialIndex).summary);
  }

  /** Writes refused for a trial because their attempt had ended. */
  public synchronized long lateWrites(String uid, int trialIndex) {
    return trial(uid, trialIndex).lateWrites;
  }

  /** Every stored point of one attempt of a trial. */
  public synchronized List<MetricPoint> points(String uid, int trialIndex, int attempt) {
    return trial(uid, trialIndex).points.entrySet().stream()
        .filter(e -> e.getKey().attempt() == attempt)
        .map(Map.Entry::getValue)
        .toList();
  }

  @Override
  public synchronized void recordSweep(NewSweep s) {
    if (sweeps.containsKey(s.uid())) {
      return;
    }
    Sweep sweep = new Sweep();
    sweep.metric = s.objectiveMetric();
    sweep.row =
        new StoredSweep(
            s.uid(),
            s.namespace(),
            s.name(),
            s.generation(),
            s.specJson(),
            SweepPhase.PENDING,
            null,
            clock.instant(),
            null,
            null);
    sweeps.put(s.uid(), sweep);
  }

  @Override
  public synchronized void recordGeneration(String uid, long generation, String specJson) {
    Sweep s = known(uid);
    StoredSweep r = s.row;
    if (generation > r.generation()) {
      s.row =
          new StoredSweep(
              r.uid(),
              r.namespace(),
              r.name(),
              generation,
              specJson,
              r.phase(),
              r.phaseReason(),
              r.createdAt(),
              r.startedAt(),
              r.finishedAt());
    }
  }

  @Override
  public synchronized void recordCells(String uid, List<NewCell> cells) {
    Sweep s = known(uid);
    for (NewCell c : cells) {
      s.cells.putIfAbsent(
          c.cellIndex(),
          new StoredCell(
              c.cellIndex(),
              c.method(),
              c.activation(),
              c.architecture(),
              c.depth(),
              c.width(),
              c.learningRate(),
              c.dataset()));
    }
  }

  @Override
  public synchronized List<StoredCell> cells(String uid) {
    Sweep s = sweeps.get(uid);
    return s == null ? List.of() : List.copyOf(s.cells.values());
  }

  @Override
  public synchronized void recordTrials(String uid, List<NewTrial> trials) {
    Sweep s = known(uid);
    if (trials.stream().anyMatch(t -> !s.cells.containsKey(t.cellIndex()))) {
      throw new IllegalArgumentException(
          "some trials of " + uid + " name a cell that is not recorded; record the cells first");
    }
    for (NewTrial t : trials) {
      if (!s.trials.containsKey(t.trialIndex())) {
        s.trials.put(t.trialIndex(), new Trial(t.trialIndex(), t.cellIndex(), t.seed()));
      }
    }
  }

  @Override
  public synchronized List<StoredTrial> trials(String uid) {
    Sweep s = sweeps.get(uid);
    return s == null ? List.of() : s.trials.values().stream().map(Trial::row).toList();
  }

  /**
   * A row that differs from what the previous read saw gets a new stamp, higher than every mark
   * handed out before: a trial written after a reader's read is in its next answer, whoever wrote
   * it.
   */
  @Override
  public synchronized TrialChanges trialsChangedSince(String uid, long mark) {
    Sweep s = sweeps.get(uid);
    long stamp = ++changeStamps;
    List<StoredTrial> changed = new ArrayList<>();
    if (s != null) {
      for (Trial t : s.trials.values()) {
        StoredTrial row = t.row();
        if (!row.equals(t.stamped)) {
          t.stamped = row;
          t.changedAt = stamp;
        }
        if (mark == TrialChanges.FIRST || t.changedAt >= mark) {
          changed.add(row);
        }
      }
    }
    return new TrialChanges(changed, stamp + 1);
  }

  @Override
  public synchronized List<StoredTrial> trials(
      String uid, java.util.Collection<Integer> trialIndices) {
    java.util.Set<Integer> wanted = new java.util.HashSet<>(trialIndices);
    return trials(uid).stream().filter(t -> wanted.contains(t.trialIndex())).toList();
  }

  @Override
  public synchronized long transition(String uid, int trialIndex, TrialTransition t) {
    Sweep s = sweeps.get(uid);
    Trial trial = s == null ? null : s.trials.get(trialIndex);
    if (trial == null || trial.version != t.expectedVersion()) {
      throw new StaleVersionException(
          "trial "
              + new TrialId(uid, trialIndex)
              + " is not at version "
              + t.expectedVersion()
              + " (changed by another writer, or unknown); re-read it");
    }
    boolean starts = t.state() == TrialState.RUNNING;
    boolean failed = t.state() == TrialState.FAILED || t.state() == TrialState.DIVERGED;
    if (starts && t.attempt() != trial.attempt) {
      trial.pointCount = 0; // the counters are the current attempt's
      trial.lastStep = null;
    }
    trial.state = t.state();
    trial.attempt = t.attempt();
    trial.failedAttempts += failed ? 1 : 0;
    trial.version++;
    trial.worker = or(t.worker(), trial.worker);
    trial.failureReason = starts ? t.failureReason() : or(t.failureReason(), trial.failureReason);
    trial.failureKind = starts ? t.failureKind() : or(t.failureKind(), trial.failureKind);
    if (starts) {
      trial.objective = null;
      trial.summary = null;
    }
    return trial.version;
  }

  @Override
  public synchronized List<Long> transitions(
      String uid, List<IndexedTransition> transitions, List<NewEvent> events) {
    Sweep s = sweeps.get(uid);
    for (IndexedTransition x : transitions) {
      Trial trial = s == null ? null : s.trials.get(x.trialIndex());
      if (trial == null || trial.version != x.transition().expectedVersion()) {
        throw new StaleVersionException(
            "trial "
                + new TrialId(uid, x.trialIndex())
                + " is not at version "
                + x.transition().expectedVersion()
                + "; nothing of the batch was changed");
      }
    }
    List<Long> versions = new ArrayList<>();
    for (IndexedTransition x : transitions) {
      versions.add(transition(uid, x.trialIndex(), x.transition()));
    }
    recordEvents(uid, events); // after every version was checked: all or none
    return versions;
  }

  @Override
  public synchronized void recordEvents(String uid, List<NewEvent> events) {
    for (NewEvent e : events) {
      recordEvent(uid, e.trialIndex(), e.type(), e.reason(), e.message());
    }
  }

  @Override
  public synchronized void endAttempt(String uid, int trialIndex, int attempt) {
    Sweep s = sweeps.get(uid);
    Trial t = s == null ? null : s.trials.get(trialIndex);
    if (t != null) {
      t.endedAttempt = Math.max(t.endedAttempt, attempt);
    }
  }

  @Override
  public synchronized void recordSummary(String uid, TrialSummary summary) {
    TrialId id = trialId(summary.trialId());
    Sweep s = sweeps.get(uid);
    Trial trial = s == null ? null : s.trials.get(id.index());
    if (trial == null || trial.attempt != summary.attempt() || summary.attempt() < 1) {
      throw new IllegalArgumentException(
          "no trial " + summary.trialId() + " at attempt " + summary.attempt() + " in " + uid);
    }
    if (summary.attempt() <= trial.endedAttempt) {
      trial.lateWrites++;
      throw new FinishedAttemptException(id.attempt(summary.attempt()));
    }
    String reduce;
    try {
      reduce = JSON.readTree(s.row.specJson()).path("objective").path("reduce").asText("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Double> from =
        reduce.equals("max") || reduce.equals("min")
            ? summary.bestMetrics()
            : summary.finalMetrics();
    Double objective = from == null ? null : from.get(s.metric);
    // a metric that is not finite is no objective (the JDBC store: NULL)
    trial.objective = objective == null || !Double.isFinite(objective) ? null : objective;
    trial.summary = summary;
  }

  @Override
  public synchronized Optional<StoredSweep> sweep(String uid) {
    Sweep s = sweeps.get(uid);
    return s == null ? Optional.empty() : Optional.of(s.row);
  }

  @Override
  public synchronized Optional<StoredSweep> latestSweep(String namespace, String name) {
    StoredSweep latest = null;
    for (Sweep s : sweeps.values()) {
      if (s.row.namespace().equals(namespace) && s.row.name().equals(name)) {
        latest = s.row; // insertion order breaks ties of createdAt, like the id does
      }
    }
    return Optional.ofNullable(latest);
  }

  @Override
  public synchronized void sweepPhase(String uid, SweepPhase phase, EventReason reason) {
    Sweep s = sweeps.get(uid);
    if (s == null) {
      throw new IllegalArgumentException("unknown sweep " + uid);
    }
    StoredSweep r = s.row;
    Instant now = clock.instant();
    s.row =
        new StoredSweep(
            r.uid(),
            r.namespace(),
            r.name(),
            r.generation(),
            r.specJson(),
            phase,
            reason,
            r.createdAt(),
            phase == SweepPhase.RUNNING && r.startedAt() == null ? now : r.startedAt(),
            phase.finished() ? now : null);
  }

  @Override
  public synchronized List<EpochPoint> epochValues(String uid, String metric) {
    List<EpochPoint> out = new ArrayList<>();
    Sweep s = sweeps.get(uid);
    if (s == null) {
      return out;
    }
    for (Trial t : s.trials.values()) {
      Map<Integer, MetricPoint> lastOfEpoch = new TreeMap<>();
      for (Map.Entry<PointKey, MetricPoint> e : t.points.entrySet()) {
        MetricPoint p = e.getValue();
        if (e.getKey().attempt() == t.attempt && p.name().equals(metric)) {
          lastOfEpoch.merge(p.epoch(), p, (a, b) -> b.step() > a.step() ? b : a);
        }
      }
      lastOfEpoch.forEach(
          (epoch, p) -> out.add(new EpochPoint(t.index, epoch, p.value(), p.time())));
    }
    out.sort(Comparator.comparingInt(EpochPoint::trialIndex).thenComparingInt(EpochPoint::epoch));
    return out;
  }

  @Override
  public synchronized void recordEvent(
      String uid, Integer trialIndex, EventType type, EventReason reason, String message) {
    if (sweeps.containsKey(uid)) {
      events.add(new Event(uid, trialIndex, type, reason, message));
    }
  }

  @Override
  public synchronized IngestResult appendMetrics(MetricBatch batch) {
    List<SpecViolation> problems = BatchValidator.validate(batch);
    if (!problems.isEmpty()) {
      throw new RejectedBatchException(problems);
    }
    if (batch.points().isEmpty()) {
      return new IngestResult(0, 0);
    }
    TrialId id = trialId(batch.trialId());
    Sweep s = sweeps.get(id.sweepUid());
    Trial t = s == null ? null : s.trials.get(id.index());
    if (t == null) {
      throw new RejectedBatchException(
          List.of(new SpecViolation("trialId", "no trial " + id + " is known")));
    }
    if (t.attempt != batch.attempt()) {
      throw new RejectedBatchException(
          List.of(
              new SpecViolation(
                  "attempt",
                  "the batch is for attempt "
                      + batch.attempt()
                      + " but trial "
                      + id
                      + " is at attempt "
                      + t.attempt)));
    }
    if (batch.attempt() <= t.endedAttempt) {
      t.lateWrites++;
      throw new FinishedAttemptException(id.attempt(batch.attempt()));
    }
    int inserted = 0;
    long lastStep = t.lastStep == null ? -1 : t.lastStep;
    for (MetricPoint p : batch.points()) {
      if (t.points.putIfAbsent(new PointKey(batch.attempt(), p.name(), p.step()), p) == null) {
        inserted++;
        lastStep = Math.max(lastStep, p.step());
      }
    }
    if (inserted > 0) {
      t.pointCount += inserted;
      t.lastStep = lastStep;
    }
    return new IngestResult(inserted, batch.points().size() - inserted);
  }

  private Sweep known(String uid) {
    Sweep s = sweeps.get(uid);
    if (s == null) {
      throw new IllegalArgumentException("unknown sweep " + uid + "; record it first");
    }
    return s;
  }

  private Trial trial(String uid, int index) {
    return sweeps.get(uid).trials.get(index);
  }

  private static TrialId trialId(String text) {
    try {
      return TrialId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new RejectedBatchException(List.of(new SpecViolation("trialId", e.getMessage())));
    }
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
