package dev.dkssweep.sweep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ResultStore} does, run against the in-memory one (unit tests of the round
 * depend on it) and the JDBC one (the system of record). Each test works on sweeps of its own.
 */
public abstract class ResultStoreContract {

  protected abstract ResultStore store();

  /** The reasons of the events {@code store} recorded for this trial of the sweep, in order. */
  protected abstract List<EventReason> trialEventReasons(
      ResultStore store, String sweepUid, int trialIndex);

  private ResultStore store;
  private String uid;

  private static int sweeps;

  @BeforeEach
  void recordASweep() {
    store = store();
    uid = "contract-" + System.nanoTime() + "-" + sweeps++;
    store.recordSweep(
        new NewSweep(
            uid,
            "ns",
            "contract",
            1,
            "{\"objective\": {\"metric\": \"val_accuracy\", \"reduce\": \"max\"}}",
            "val_accuracy",
            Goal.MAXIMIZE));
    store.recordCells(uid, List.of(cell(0), cell(1)));
    store.recordTrials(uid, List.of(new NewTrial(0, 0, 1), new NewTrial(1, 1, 1)));
  }

  /** A cell of the contract's sweeps (and of other tests' stores). */
  public static NewCell cell(int index) {
    return new NewCell(
        index,
        "dks",
        "tanh",
        "mlp",
        4 + index,
        16,
        0.01,
        "synthetic-clusters",
        true,
        null,
        null,
        null);
  }

  static TrialSummary summary(String trialId, int attempt, double last, double best) {
    return TestSummaries.succeeded(trialId, attempt, last, best);
  }

  @Test
  void recordsAreIdempotentAndKeepTheirOrder() {
    store.recordSweep(
        new NewSweep(uid, "ns", "other-name", 1, "{}", "val_accuracy", Goal.MAXIMIZE));
    store.recordCells(uid, List.of(cell(0), cell(1)));
    store.recordTrials(uid, List.of(new NewTrial(1, 1, 1), new NewTrial(0, 0, 1)));
    assertThat(store.sweep(uid).orElseThrow().name()).isEqualTo("contract");
    assertThat(store.sweep(uid).orElseThrow().phase()).isEqualTo(SweepPhase.PENDING);
    assertThat(store.cells(uid)).extracting(StoredCell::cellIndex).containsExactly(0, 1);
    assertThat(store.cells(uid).get(1).depth()).isEqualTo(5);
    assertThat(store.trials(uid)).extracting(StoredTrial::trialIndex).containsExactly(0, 1);
    assertThat(store.trials(uid).get(0).state()).isEqualTo(TrialState.PENDING);
    assertThatThrownBy(() -> store.recordTrials(uid, List.of(new NewTrial(2, 9, 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.recordCells("no-such-sweep", List.of(cell(0))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLaterGenerationReplacesTheSpecAndAnEarlierOneDoesNot() {
    store.recordGeneration(uid, 3, "{\"objective\": {\"metric\": \"val_accuracy\"}}");
    store.recordGeneration(uid, 2, "{\"old\": true}");
    StoredSweep s = store.sweep(uid).orElseThrow();
    assertThat(s.generation()).isEqualTo(3);
    assertThat(s.specJson()).doesNotContain("old");
    assertThatThrownBy(() -> store.recordGeneration("no-such-sweep", 2, "{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void transitionsAreVersionCheckedAndCountFailures() {
    long v = store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    assertThatThrownBy(
            () -> store.transition(uid, 0, new TrialTransition(0, TrialState.FAILED, 1, null, "x")))
        .isInstanceOf(StaleVersionException.class);
    v =
        store.transition(
            uid,
            0,
            new TrialTransition(
                v, TrialState.FAILED, 1, null, "exit code 4", FailureKind.INVALID_SPEC));
    StoredTrial failed = store.trials(uid).get(0);
    assertThat(failed.failedAttempts()).isEqualTo(1);
    assertThat(failed.worker()).as("kept when not given").isEqualTo("w1");
    assertThat(failed.failureKind()).isEqualTo(FailureKind.INVALID_SPEC);
    assertThat(failed.failureReason()).isEqualTo("exit code 4");
    v = store.transition(uid, 0, new TrialTransition(v, TrialState.SKIPPED, 1, null, null));
    assertThat(store.trials(uid).get(0).failureKind())
        .as("kept")
        .isEqualTo(FailureKind.INVALID_SPEC);
    store.transition(uid, 0, new TrialTransition(v, TrialState.RUNNING, 2, "w2", null));
    StoredTrial relaunched = store.trials(uid).get(0);
    assertThat(relaunched.failureKind()).as("cleared by a new attempt").isNull();
    assertThat(relaunched.failureReason()).isNull();
    assertThat(relaunched.attempt()).isEqualTo(2);
    assertThat(relaunched.version()).isEqualTo(4);
  }

  @Test
  void someTrialsAreReadByIndex() {
    store.transition(uid, 1, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    assertThat(store.trials(uid, List.of(1, 7)))
        .as("trial 7 does not exist")
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.trialIndex()).isEqualTo(1);
              assertThat(t.cellIndex()).isEqualTo(1);
              assertThat(t.worker()).isEqualTo("w1");
              assertThat(t).isEqualTo(store.trials(uid).get(1));
            });
    assertThat(store.trials(uid, List.of(1, 0)))
        .extracting(StoredTrial::trialIndex)
        .containsExactly(0, 1);
    assertThat(store.trials(uid, List.of())).isEmpty();
  }

  @Test
  void trialsWrittenSinceAReadAreInTheNextRead() {
    TrialChanges first = store.trialsChangedSince(uid, TrialChanges.FIRST);
    assertThat(first.trials()).isEqualTo(store.trials(uid));
    // nothing else writes this sweep, and no other transaction is open: a quiet read is empty
    TrialChanges quiet = store.trialsChangedSince(uid, first.mark());
    assertThat(quiet.trials()).isEmpty();

    long v = store.transition(uid, 1, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    TrialChanges started = store.trialsChangedSince(uid, quiet.mark());
    assertThat(started.trials()).singleElement().isEqualTo(store.trials(uid).get(1));

    // ingest's writes (points, a summary) count as writes too, and so does a trial recorded later
    store.appendMetrics(
        new MetricBatch(uid + "-1", 1, List.of(new MetricPoint(3, 0, "val_accuracy", 0.4, 1))));
    store.recordSummary(uid, summary(uid + "-1", 1, 0.5, 0.6));
    store.recordCells(uid, List.of(cell(2)));
    store.recordTrials(uid, List.of(new NewTrial(2, 2, 1)));
    TrialChanges ingested = store.trialsChangedSince(uid, started.mark());
    assertThat(ingested.trials()).extracting(StoredTrial::trialIndex).containsExactly(1, 2);
    assertThat(ingested.trials().get(0).pointCount()).isEqualTo(1);
    assertThat(ingested.trials().get(0).objective()).isEqualTo(0.6);

    // folding every answer over the first gives what a whole read gives
    store.transition(uid, 1, new TrialTransition(v, TrialState.SUCCEEDED, 1, null, null));
    java.util.TreeMap<Integer, StoredTrial> folded = new java.util.TreeMap<>();
    for (TrialChanges c :
        List.of(first, started, ingested, store.trialsChangedSince(uid, ingested.mark()))) {
      c.trials().forEach(t -> folded.put(t.trialIndex(), t));
    }
    assertThat(List.copyOf(folded.values())).isEqualTo(store.trials(uid));
    assertThat(store.trialsChangedSince("no-such-sweep", TrialChanges.FIRST).trials()).isEmpty();
  }

  @Test
  void settlingWritesSummariesOutcomesAndEndsAndReportsWhatItCouldNot() {
    long v0 = store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w0", null));
    store.transition(uid, 1, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    List<Settlement.Result> results =
        store.settle(
            uid,
            List.of(
                new Settlement(
                    0,
                    1,
                    summary(uid + "-0", 1, 0.5, 0.8),
                    new TrialTransition(v0, TrialState.SUCCEEDED, 1, null, null),
                    new NewEvent(0, EventType.NORMAL, EventReason.SUCCEEDED, "attempt 1 finished")),
                new Settlement(
                    1,
                    1,
                    summary(uid + "-1", 2, 0.5, 0.9), // not the trial's attempt
                    new TrialTransition(0, TrialState.FAILED, 1, null, "exit 1"), // stale
                    new NewEvent(1, EventType.WARNING, EventReason.FAILED, "exit 1"))));
    assertThat(results)
        .containsExactly(new Settlement.Result(false, false), new Settlement.Result(true, true));
    assertThat(trialEventReasons(store, uid, 0))
        .as("an outcome is recorded with its event")
        .containsExactly(EventReason.SUCCEEDED);
    assertThat(trialEventReasons(store, uid, 1)).as("a stale outcome has no event").isEmpty();
    StoredTrial done = store.trials(uid).get(0);
    assertThat(done.state()).isEqualTo(TrialState.SUCCEEDED);
    assertThat(done.objective()).isEqualTo(0.8);
    assertThat(done.attemptEnded()).isTrue();
    StoredTrial untouched = store.trials(uid).get(1);
    assertThat(untouched.state())
        .as("a stale outcome writes nothing")
        .isEqualTo(TrialState.RUNNING);
    assertThat(untouched.attemptEnded()).isFalse();

    // settled again (an exit seen twice): the late summary is refused, the end stays
    assertThat(
            store.settle(
                uid, List.of(new Settlement(0, 1, summary(uid + "-0", 1, 0.1, 0.1), null))))
        .containsExactly(new Settlement.Result(true, false));
    assertThat(store.trials(uid).get(0).objective())
        .as("the result stays as recorded")
        .isEqualTo(0.8);
    assertThat(store.settle(uid, List.of())).isEmpty();
  }

  @Test
  void aSettlementOfATrialThatChangedMeanwhileStillRecordsItsSummary() {
    long v0 = store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w0", null));
    long v1 = store.transition(uid, 1, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    List<Settlement.Result> results =
        store.settle(
            uid,
            List.of(
                new Settlement( // its outcome read at an older version: stale
                    0,
                    1,
                    summary(uid + "-0", 1, 0.5, 0.7),
                    new TrialTransition(v0 - 1, TrialState.SUCCEEDED, 1, null, null)),
                new Settlement( // no summary: the outcome and the end
                    1,
                    1,
                    null,
                    new TrialTransition(
                        v1, TrialState.FAILED, 1, null, "exit 1", FailureKind.ERROR))));
    assertThat(results)
        .containsExactly(new Settlement.Result(false, true), new Settlement.Result(false, false));
    StoredTrial changed = store.trials(uid).get(0);
    assertThat(changed.state()).isEqualTo(TrialState.RUNNING);
    assertThat(changed.objective()).as("the summary is the attempt's").isEqualTo(0.7);
    assertThat(changed.attemptEnded()).as("no end after a stale outcome").isFalse();
    StoredTrial failed = store.trials(uid).get(1);
    assertThat(failed.state()).isEqualTo(TrialState.FAILED);
    assertThat(failed.failureReason()).isEqualTo("exit 1");
    assertThat(failed.failedAttempts()).isEqualTo(1);
    assertThat(failed.attemptEnded()).isTrue();
    assertThat(failed.version()).isEqualTo(v1 + 1);
  }

  @Test
  void aBatchOfTransitionsIsAllOrNone() {
    List<Long> v =
        store.transitions(
            uid,
            List.of(
                new IndexedTransition(0, new TrialTransition(0, TrialState.RUNNING, 1, "w0", null)),
                new IndexedTransition(
                    1, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null))));
    assertThat(v).containsExactly(1L, 1L);
    assertThatThrownBy(
            () ->
                store.transitions(
                    uid,
                    List.of(
                        new IndexedTransition(
                            0, new TrialTransition(1, TrialState.SUCCEEDED, 1, null, null)),
                        new IndexedTransition(
                            1, new TrialTransition(0, TrialState.FAILED, 1, null, "x")))))
        .as("trial 1 is at version 1, not 0")
        .isInstanceOf(StaleVersionException.class);
    assertThat(store.trials(uid))
        .as("trial 0's change went with the batch")
        .extracting(StoredTrial::state, StoredTrial::version, StoredTrial::worker)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TrialState.RUNNING, 1L, "w0"),
            org.assertj.core.groups.Tuple.tuple(TrialState.RUNNING, 1L, "w1"));
    assertThat(store.transitions(uid, List.of())).isEmpty();
  }

  @Test
  void transitionsWithTheirEventsAreWrittenTogetherOrNotAtAll() {
    List<Long> v =
        store.transitions(
            uid,
            List.of(
                new IndexedTransition(
                    0, new TrialTransition(0, TrialState.RUNNING, 1, "starting", null))),
            List.of(new NewEvent(0, EventType.NORMAL, EventReason.LAUNCHED, "attempt 1")));
    assertThat(v).containsExactly(1L);
    assertThat(trialEventReasons(store, uid, 0)).containsExactly(EventReason.LAUNCHED);
    assertThatThrownBy(
            () ->
                store.transitions(
                    uid,
                    List.of(
                        new IndexedTransition(
                            1, new TrialTransition(0, TrialState.RUNNING, 1, "starting", null)),
                        new IndexedTransition(
                            0, new TrialTransition(0, TrialState.RUNNING, 2, "starting", null))),
                    List.of(
                        new NewEvent(1, EventType.NORMAL, EventReason.LAUNCHED, "attempt 1"),
                        new NewEvent(0, EventType.NORMAL, EventReason.LAUNCHED, "attempt 2"))))
        .as("trial 0 is at version 1, not 0")
        .isInstanceOf(StaleVersionException.class);
    assertThat(store.trials(uid).get(1).state())
        .as("trial 1's change went with the batch")
        .isEqualTo(TrialState.PENDING);
    assertThat(trialEventReasons(store, uid, 1)).as("and its event").isEmpty();
    assertThat(trialEventReasons(store, uid, 0)).containsExactly(EventReason.LAUNCHED);
  }

  @Test
  void aSummaryReducesTheObjectiveAndANewAttemptClearsIt() {
    long v = store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    assertThatThrownBy(() -> store.recordSummary(uid, summary(uid + "-0", 2, 0.5, 0.9)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at attempt 2");
    store.recordSummary(uid, summary(uid + "-0", 1, 0.5, 0.9));
    assertThat(store.trials(uid).get(0).objective()).as("reduce: max").isEqualTo(0.9);
    store.transition(uid, 0, new TrialTransition(v, TrialState.RUNNING, 2, "w2", null));
    assertThat(store.trials(uid).get(0).objective()).isNull();
  }

  @Test
  void anObjectiveMetricThatIsNotFiniteIsNoObjective() {
    store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    for (double bad :
        new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      store.recordSummary(uid, summary(uid + "-0", 1, bad, bad));
      assertThat(store.trials(uid).get(0).objective()).as("%s", bad).isNull();
    }
    store.recordSummary(uid, summary(uid + "-0", 1, 0.5, 0.7));
    assertThat(store.trials(uid).get(0).objective()).isEqualTo(0.7);
  }

  @Test
  void pointsAreIngestedOnceForTheCurrentAttemptAndReadPerEpoch() {
    store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    MetricBatch batch =
        new MetricBatch(
            uid + "-0",
            1,
            List.of(
                new MetricPoint(5, 1, "val_accuracy", 0.4, 1_000),
                new MetricPoint(9, 1, "val_accuracy", 0.5, 2_000),
                new MetricPoint(12, 2, "val_accuracy", 0.6, 3_000),
                new MetricPoint(12, 2, "train_loss", 1.2, 3_000)));
    assertThat(store.appendMetrics(batch)).isEqualTo(new IngestResult(4, 0));
    assertThat(store.appendMetrics(batch)).isEqualTo(new IngestResult(0, 4));
    assertThat(store.trials(uid).get(0).pointCount()).isEqualTo(4);
    assertThat(store.trials(uid).get(0).lastStep()).isEqualTo(12);
    assertThat(store.epochValues(uid, "val_accuracy"))
        .containsExactly(new EpochPoint(0, 1, 0.5, 2_000), new EpochPoint(0, 2, 0.6, 3_000));
    assertThatThrownBy(
            () ->
                store.appendMetrics(
                    new MetricBatch(
                        uid + "-0", 2, List.of(new MetricPoint(1, 0, "val_accuracy", 0.1, 1)))))
        .isInstanceOf(RejectedBatchException.class)
        .hasMessageContaining("attempt");
    assertThatThrownBy(
            () ->
                store.appendMetrics(
                    new MetricBatch(
                        "not a trial id", 1, List.of(new MetricPoint(1, 0, "x", 0.1, 1)))))
        .isInstanceOf(RejectedBatchException.class);
  }

  @Test
  void anEndedAttemptIsFinalAndTheNextOneIsNot() {
    long v = store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    store.recordSummary(uid, summary(uid + "-0", 1, 0.5, 0.6));
    v = store.transition(uid, 0, new TrialTransition(v, TrialState.SUCCEEDED, 1, null, null));
    store.endAttempt(uid, 0, 1);
    store.endAttempt(uid, 0, 1);
    assertThat(store.trials(uid).get(0).attemptEnded()).isTrue();

    assertThatThrownBy(() -> store.recordSummary(uid, summary(uid + "-0", 1, 0.99, 0.99)))
        .isInstanceOf(FinishedAttemptException.class)
        .hasMessageContaining("has ended");
    assertThatThrownBy(
            () ->
                store.appendMetrics(
                    new MetricBatch(
                        uid + "-0", 1, List.of(new MetricPoint(99, 9, "val_accuracy", 0.99, 9)))))
        .isInstanceOf(FinishedAttemptException.class);
    StoredTrial t = store.trials(uid).get(0);
    assertThat(t.objective()).as("the result stays as recorded").isEqualTo(0.6);
    assertThat(t.pointCount()).isZero();

    store.transition(uid, 0, new TrialTransition(v, TrialState.RUNNING, 2, "w2", null));
    assertThat(store.trials(uid).get(0).attemptEnded()).as("a new attempt is open").isFalse();
    store.recordSummary(uid, summary(uid + "-0", 2, 0.7, 0.8));
    assertThat(store.trials(uid).get(0).objective()).isEqualTo(0.8);
  }

  @Test
  void aNewAttemptCountsItsOwnPointsAndSteps() {
    long v = store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "w1", null));
    store.appendMetrics(
        new MetricBatch(
            uid + "-0",
            1,
            List.of(
                new MetricPoint(10, 1, "train_loss", 0.5, 1),
                new MetricPoint(20, 1, "train_loss", 0.4, 2))));
    assertThat(store.trials(uid).get(0).pointCount()).isEqualTo(2);
    // attempt 1 lost (its runner killed): attempt 2 starts from nothing
    v = store.transition(uid, 0, new TrialTransition(v, TrialState.STOPPED, 1, null, null));
    v = store.transition(uid, 0, new TrialTransition(v, TrialState.RUNNING, 2, "w2", null));
    StoredTrial fresh = store.trials(uid).get(0);
    assertThat(fresh.pointCount()).isZero();
    assertThat(fresh.lastStep()).isNull();
    store.appendMetrics(
        new MetricBatch(uid + "-0", 2, List.of(new MetricPoint(5, 1, "train_loss", 0.6, 3))));
    StoredTrial t = store.trials(uid).get(0);
    assertThat(t.pointCount()).isEqualTo(1);
    assertThat(t.lastStep()).isEqualTo(5L);
    // the same attempt running again (a Running -> Running hand-over) keeps its counters
    store.transition(uid, 0, new TrialTransition(v, TrialState.RUNNING, 2, "w3", null));
    assertThat(store.trials(uid).get(0).pointCount()).isEqualTo(1);
  }

  @Test
  void phasesSetStartAndFinishTimes() {
    store.sweepPhase(uid, SweepPhase.RUNNING, null);
    StoredSweep running = store.sweep(uid).orElseThrow();
    assertThat(running.startedAt()).isNotNull();
    assertThat(running.finishedAt()).isNull();
    store.sweepPhase(uid, SweepPhase.STOPPED, EventReason.INTERRUPTED);
    store.sweepPhase(uid, SweepPhase.RUNNING, EventReason.RESUMED);
    assertThat(store.sweep(uid).orElseThrow().startedAt()).isEqualTo(running.startedAt());
    store.sweepPhase(uid, SweepPhase.FAILED, EventReason.TOO_MANY_FAILED_TRIALS);
    StoredSweep done = store.sweep(uid).orElseThrow();
    assertThat(done.finished()).isTrue();
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.phaseReason()).isEqualTo(EventReason.TOO_MANY_FAILED_TRIALS);
    assertThat(store.latestSweep("ns", "contract"))
        .get()
        .extracting(StoredSweep::uid)
        .isEqualTo(uid);
    assertThatThrownBy(() -> store.sweepPhase("no-such-sweep", SweepPhase.RUNNING, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
