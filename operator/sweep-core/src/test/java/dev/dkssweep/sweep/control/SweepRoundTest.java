package dev.dkssweep.sweep.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.document.SweepSpec;
import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.execution.FakeTrialExecutor;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.InMemoryResultStore;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TestSummaries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep round on a fake executor and the in-memory store: every planner outcome as the round
 * applies it, exits settled once, lost and orphaned attempts, restarts, suspension and a spec that
 * grows. Trials of the base sweep: 0 = dks d4, 1 = standard d4, 2 = dks d8, 3 = standard d8.
 */
class SweepRoundTest {

  static final String UID = "0e6f-sweep";
  static final String BASE =
      """
      objective: {metric: val_accuracy, goal: maximize}
      space:
        method: [dks, standard]
        activation: [tanh]
        depth: [4, 8]
        width: [16]
        learningRate: [0.01]
        dataset: synthetic-clusters
        epochs: 3
      parallelism: 2
      """;

  MutableClock clock;
  InMemoryResultStore store;
  FakeTrialExecutor executor;
  SweepRound round;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    store = new InMemoryResultStore(clock);
    executor = new FakeTrialExecutor();
    round = newRound(executor);
  }

  SweepRound newRound(FakeTrialExecutor e) {
    return new SweepRound(
        store, e, new LaunchSettings("http://127.0.0.1:1/api/ingest", id -> "t-" + id, 1), clock);
  }

  static SweepSpec spec(String yaml) {
    return SweepDocuments.read(yaml, "t").spec();
  }

  static SweepRequest request(String yaml) {
    return SweepRequest.run(UID, "local", "t", 1, spec(yaml));
  }

  StoredTrial trial(int index) {
    return store.trials(UID).stream().filter(t -> t.trialIndex() == index).findFirst().get();
  }

  static TrialKey key(int index, int attempt) {
    return new TrialKey(UID, index, attempt);
  }

  static AttemptExit exited(int code) {
    return AttemptExit.of(code, null, "", List.of());
  }

  static AttemptExit succeeded(int index, int attempt, double accuracy) {
    return AttemptExit.of(0, summary(index, attempt, accuracy), "", List.of());
  }

  static TrialSummary summary(int index, int attempt, double accuracy) {
    return TestSummaries.succeeded(UID + "-" + index, attempt, accuracy, accuracy);
  }

  List<EventReason> reasons(Integer trialIndex) {
    return store.events().stream()
        .filter(e -> java.util.Objects.equals(e.trialIndex(), trialIndex))
        .map(InMemoryResultStore.Event::reason)
        .toList();
  }

  @Test
  void aRoundStartsAtMostItsLaunchesPerRoundAndLeavesTheRestToTheNext() {
    SweepRound capped =
        new SweepRound(
            store,
            executor,
            new LaunchSettings("http://127.0.0.1:1/api/ingest", id -> "t-" + id, 1, 3),
            clock);
    SweepRequest wide = request(BASE.replace("parallelism: 2", "parallelism: 4"));

    SweepStatus first = capped.run(wide);
    assertThat(executor.launches())
        .extracting(TrialLaunch::key)
        .containsExactly(key(0, 1), key(1, 1), key(2, 1));
    assertThat(first.deferredLaunches()).isEqualTo(1);
    assertThat(first.counts().of(TrialState.PENDING)).isEqualTo(1);

    SweepStatus second = capped.run(wide);
    assertThat(executor.launches()).extracting(TrialLaunch::key).endsWith(key(3, 1));
    assertThat(second.deferredLaunches()).isZero();
    assertThat(second.counts().of(TrialState.RUNNING)).isEqualTo(4);
    assertThat(capped.run(wide).deferredLaunches()).as("nothing left to start").isZero();
    assertThat(executor.launches()).hasSize(4);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new LaunchSettings(null, id -> "t", 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("launchesPerRound");
  }

  @Test
  void theFirstRoundRecordsTheSweepAndLaunchesUpToParallelismInLaunchOrder() {
    SweepStatus s = round.run(request(BASE));

    assertThat(s.phase()).isEqualTo(SweepPhase.RUNNING);
    assertThat(s.accepted()).isTrue();
    assertThat(s.observedGeneration()).isEqualTo(1);
    assertThat(s.counts().total()).isEqualTo(4);
    assertThat(s.counts().of(TrialState.RUNNING)).isEqualTo(2);
    assertThat(s.liveAttempts()).isEqualTo(2);
    assertThat(store.cells(UID)).hasSize(4);
    assertThat(executor.launches())
        .extracting(TrialLaunch::key)
        .containsExactly(key(0, 1), key(1, 1));
    TrialLaunch first = executor.launches().get(0);
    assertThat(first.spec().reporting().endpoint()).isEqualTo("http://127.0.0.1:1/api/ingest");
    assertThat(first.spec().reporting().token())
        .as("the token of the trial's attempt")
        .isEqualTo("t-" + key(0, 1));
    assertThat(first.spec().model().depth()).isEqualTo(4);
    assertThat(trial(0).worker()).isEqualTo("fake:100");
    assertThat(reasons(null)).containsExactly(EventReason.CREATED);
    assertThat(reasons(0)).containsExactly(EventReason.LAUNCHED);
    assertThat(store.sweep(UID).orElseThrow().startedAt()).isEqualTo(clock.instant());
  }

  @Test
  void aDriverThatDiesWhileLaunchingHasWrittenEachAttemptWithItsLaunchedEvent() {
    TrialExecutor dying =
        new TrialExecutor() {
          @Override
          public List<AttemptObservation> observe(String sweepUid) {
            return List.of();
          }

          @Override
          public String launch(TrialLaunch launch) {
            throw new IllegalStateException("the driver is killed while its trainers start");
          }

          @Override
          public List<Launched> launchAll(List<TrialLaunch> launches) {
            throw new IllegalStateException("the driver is killed while its trainers start");
          }

          @Override
          public void stop(TrialKey attempt) {}

          @Override
          public void release(TrialKey attempt) {}

          @Override
          public void close() {}
        };
    SweepRound r =
        new SweepRound(
            store,
            dying,
            new LaunchSettings("http://127.0.0.1:1/api/ingest", id -> "t-" + id, 1),
            clock);

    assertThatThrownBy(() -> r.run(request(BASE))).hasMessageContaining("killed");

    assertThat(trial(0).state()).isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).attempt()).isEqualTo(1);
    assertThat(reasons(0))
        .as("the attempt's row and its event were written together, before the executor was asked")
        .containsExactly(EventReason.LAUNCHED);
    assertThat(reasons(1)).containsExactly(EventReason.LAUNCHED);
  }

  @Test
  void anExitIsSettledOnceEvenWhenItIsSeenAgain() {
    round.run(request(BASE));
    executor.ignoreReleases(true);
    executor.exit(key(0, 1), succeeded(0, 1, 0.75));

    round.run(request(BASE));
    round.run(request(BASE));

    assertThat(trial(0).state()).isEqualTo(TrialState.SUCCEEDED);
    assertThat(trial(0).objective()).isEqualTo(0.75);
    assertThat(reasons(0)).containsExactly(EventReason.LAUNCHED, EventReason.SUCCEEDED);
    assertThat(executor.releases()).containsOnly(key(0, 1));
    assertThat(executor.launches()).extracting(TrialLaunch::key).contains(key(2, 1));
    assertThat(executor.launches()).hasSize(3);
  }

  @Test
  void aSettledAttemptIsFinalAndASecondSightingCountsNothing() {
    round.run(request(BASE));
    executor.ignoreReleases(true);
    executor.exit(key(0, 1), succeeded(0, 1, 0.75));
    round.run(request(BASE));
    round.run(request(BASE)); // the same exit again

    assertThat(trial(0).attemptEnded()).isTrue();
    assertThat(store.lateWrites(UID, 0)).as("a second sighting is no late write").isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> store.recordSummary(UID, summary(0, 1, 0.99)))
        .isInstanceOf(dev.dkssweep.sweep.store.FinishedAttemptException.class);
    assertThat(trial(0).objective()).isEqualTo(0.75);
    assertThat(store.lateWrites(UID, 0)).isEqualTo(1);
  }

  @Test
  void undeliveredPointsAreIngestedWithTheExit() {
    round.run(request(BASE));
    MetricBatch late =
        new MetricBatch(UID + "-0", 1, List.of(new MetricPoint(5, 1, "val_accuracy", 0.5, 1_000)));
    executor.exit(key(0, 1), AttemptExit.of(0, summary(0, 1, 0.5), "", List.of(late)));

    round.run(request(BASE));

    assertThat(store.points(UID, 0, 1)).extracting(MetricPoint::value).containsExactly(0.5);
    assertThat(trial(0).pointCount()).isEqualTo(1);
  }

  /**
   * {@link #store} behind a proxy that throws "connection refused" for a call {@code failing}
   * accepts (its method name), as a database that went away would, and a round on it.
   */
  SweepRound roundOnFlakyStore(java.util.function.Predicate<String> failing) {
    ResultStore flaky =
        (ResultStore)
            java.lang.reflect.Proxy.newProxyInstance(
                ResultStore.class.getClassLoader(),
                new Class<?>[] {ResultStore.class},
                (proxy, method, args) -> {
                  if (failing.test(method.getName())) {
                    throw new IllegalStateException("connection refused");
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return new SweepRound(
        flaky,
        executor,
        new LaunchSettings("http://127.0.0.1:1/api/ingest", id -> "t-" + id, 1),
        clock);
  }

  /** Trial 0's attempt 1 exits with a summary and one point it could not deliver. */
  void trialZeroExitsWithAnUndeliveredPoint() {
    round.run(request(BASE));
    MetricBatch late =
        new MetricBatch(UID + "-0", 1, List.of(new MetricPoint(5, 1, "val_accuracy", 0.7, 1_000)));
    executor.exit(key(0, 1), AttemptExit.of(0, summary(0, 1, 0.7), "", List.of(late)));
  }

  @Test
  void anExitSeenWhileTheStoreIsDownIsSettledWholeWhenItIsBack() {
    trialZeroExitsWithAnUndeliveredPoint();
    // the store takes the round's reads, then refuses every write: a database going away
    java.util.concurrent.atomic.AtomicBoolean down =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    SweepRound onFlaky =
        roundOnFlakyStore(
            m ->
                down.get()
                    && List.of("appendMetrics", "recordSummary", "transition", "endAttempt")
                        .contains(m));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> onFlaky.run(request(BASE)))
        .hasMessageContaining("connection refused");
    assertThat(trial(0).state()).as("nothing settled").isEqualTo(TrialState.RUNNING);
    assertThat(store.points(UID, 0, 1)).isEmpty();

    down.set(false);
    onFlaky.run(request(BASE));
    assertThat(trial(0).state()).isEqualTo(TrialState.SUCCEEDED);
    assertThat(trial(0).objective()).isEqualTo(0.7);
    assertThat(store.points(UID, 0, 1)).extracting(MetricPoint::value).containsExactly(0.7);
  }

  @Test
  void anExitWhosePointsTheStoreCannotTakeRightNowKeepsThemForTheNextRound() {
    trialZeroExitsWithAnUndeliveredPoint();
    // only the points' write fails, once: the outcome must not be recorded without them
    java.util.concurrent.atomic.AtomicInteger failures =
        new java.util.concurrent.atomic.AtomicInteger(1);
    SweepRound onFlaky =
        roundOnFlakyStore(m -> m.equals("appendMetrics") && failures.getAndDecrement() > 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> onFlaky.run(request(BASE)))
        .hasMessageContaining("connection refused");
    assertThat(trial(0).attemptEnded()).as("the attempt stays open").isFalse();

    onFlaky.run(request(BASE));
    assertThat(store.points(UID, 0, 1)).extracting(MetricPoint::value).containsExactly(0.7);
    assertThat(trial(0).state()).isEqualTo(TrialState.SUCCEEDED);
  }

  @Test
  void aStoppedAttemptRunsAgainInTheSameRoundWithoutCountingAFailure() {
    round.run(request(BASE));
    executor.exit(key(0, 1), exited(143));

    round.run(request(BASE));

    assertThat(reasons(0))
        .containsExactly(EventReason.LAUNCHED, EventReason.STOPPED, EventReason.LAUNCHED);
    assertThat(store.events())
        .filteredOn(e -> e.reason() == EventReason.STOPPED)
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("SIGTERM"));
    assertThat(trial(0).state()).isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).attempt()).isEqualTo(2);
    assertThat(trial(0).failedAttempts()).isZero();
  }

  @Test
  void aFailureIsRetriedThenFailedForGood() {
    round.run(request(BASE));
    executor.exit(key(0, 1), exited(1));

    round.run(request(BASE)); // settled, then retry 1 of 1 takes the freed slot

    assertThat(store.events())
        .filteredOn(e -> e.reason() == EventReason.FAILED)
        .singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("exit code 1: no output"));
    assertThat(trial(0).state()).isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).attempt()).isEqualTo(2);
    assertThat(trial(0).failedAttempts()).isEqualTo(1);

    executor.exit(key(0, 2), exited(1));
    round.run(request(BASE));

    assertThat(trial(0).state()).isEqualTo(TrialState.FAILED);
    assertThat(trial(0).failureKind()).isEqualTo(FailureKind.ERROR);
    assertThat(trial(0).failureReason()).isEqualTo("exit code 1: no output");
    assertThat(trial(0).failedAttempts()).isEqualTo(2);
    round.run(request(BASE));
    assertThat(executor.launches()).extracting(TrialLaunch::key).doesNotContain(key(0, 3));
  }

  @Test
  void aSweepThatKeepsFailedWorkloadsRetainsOnlyTheFailedAttempts() {
    String keep = BASE + "retry: {maxRetries: 0}\ntrainer: {cleanup: {keepFailed: true}}\n";
    round.run(request(keep));
    executor.exit(key(0, 1), exited(1));
    executor.exit(key(1, 1), succeeded(1, 1, 0.9));

    round.run(request(keep));

    assertThat(trial(0).state()).isEqualTo(TrialState.FAILED);
    assertThat(executor.retains()).containsExactly(key(0, 1));
    assertThat(executor.releases()).contains(key(1, 1)).doesNotContain(key(0, 1));
    round.run(request(keep));
    assertThat(executor.retains()).as("not seen again").containsExactly(key(0, 1));
  }

  @Test
  void withoutKeepFailedAFailedAttemptIsReleased() {
    String once = BASE + "retry: {maxRetries: 0}\n";
    round.run(request(once));
    executor.exit(key(0, 1), exited(1));
    round.run(request(once));
    assertThat(executor.retains()).isEmpty();
    assertThat(executor.releases()).contains(key(0, 1));
  }

  @Test
  void aRefusedSpecIsFailedForGoodAtOnce() {
    round.run(request(BASE));
    TrialSummary refused =
        new TrialSummary(
            UID + "-0",
            1,
            TrialStatus.FAILED,
            Map.of(),
            Map.of(),
            0,
            0,
            0,
            null,
            null,
            "model.depth: too deep",
            0);
    executor.exit(key(0, 1), AttemptExit.of(4, refused, "", List.of()));

    round.run(request(BASE));
    round.run(request(BASE));

    assertThat(trial(0).state()).isEqualTo(TrialState.FAILED);
    assertThat(trial(0).failureKind()).isEqualTo(FailureKind.INVALID_SPEC);
    assertThat(trial(0).failureReason())
        .isEqualTo("invalid trial spec: exit code 4: model.depth: too deep");
    assertThat(executor.launches()).extracting(TrialLaunch::key).doesNotContain(key(0, 2));
  }

  @Test
  void aDivergedTrialIsAResultNotAFailure() {
    round.run(request(BASE));
    executor.exit(key(0, 1), exited(3));

    round.run(request(BASE));
    round.run(request(BASE));

    assertThat(trial(0).state()).isEqualTo(TrialState.DIVERGED);
    assertThat(trial(0).failureReason()).isEqualTo("non-finite loss");
    assertThat(executor.launches()).extracting(TrialLaunch::key).doesNotContain(key(0, 2));
  }

  @Test
  void aDisruptionRunsTheTrialAgainAndAnOomKillIsAFailure() {
    round.run(request(BASE + "retry: {maxRetries: 0}\n"));
    executor.exit(
        key(0, 1),
        new AttemptExit(143, AttemptExit.Termination.DISRUPTED, "preempted", null, "", List.of()));
    executor.exit(
        key(1, 1),
        new AttemptExit(137, AttemptExit.Termination.OOM_KILLED, null, null, "", List.of()));

    String yaml = BASE + "retry: {maxRetries: 0}\n";
    round.run(request(yaml));

    assertThat(trial(0).state()).as("run again at once").isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).attempt()).isEqualTo(2);
    assertThat(trial(0).failedAttempts()).isZero();
    assertThat(trial(1).state()).isEqualTo(TrialState.FAILED);
    assertThat(trial(1).failureKind()).isEqualTo(FailureKind.OUT_OF_MEMORY);
    assertThat(trial(1).failureReason()).startsWith("out of memory");
  }

  @Test
  void aLostWorkerIsReleasedAndItsTrialRelaunched() {
    round.run(request(BASE));
    executor.vanish(key(0, 1));

    round.run(request(BASE));

    assertThat(executor.releases()).contains(key(0, 1));
    assertThat(trial(0).state()).isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).attempt()).isEqualTo(2);
    assertThat(store.events())
        .filteredOn(e -> e.reason() == EventReason.LAUNCHED && e.trialIndex() == 0)
        .last()
        .satisfies(e -> assertThat(e.message()).contains("attempt 1 was lost"));
  }

  @Test
  void aRestartedDriverRelaunchesWhatNoExecutorRuns() {
    round.run(request(BASE));
    FakeTrialExecutor fresh = new FakeTrialExecutor(); // the old processes died with the runner

    SweepStatus s = newRound(fresh).run(request(BASE));

    assertThat(fresh.launches()).extracting(TrialLaunch::key).containsExactly(key(0, 2), key(1, 2));
    assertThat(s.counts().of(TrialState.RUNNING)).isEqualTo(2);
    assertThat(reasons(null)).containsExactly(EventReason.CREATED); // recorded once
    assertThat(store.trials(UID)).hasSize(4);
  }

  @Test
  void aRestartedDriverAdoptsWhatTheExecutorStillRuns() {
    round.run(request(BASE));

    newRound(executor).run(request(BASE)); // e.g. a new operator replica; the Jobs live on

    assertThat(executor.launches()).hasSize(2);
    assertThat(trial(0).attempt()).isEqualTo(1);
    assertThat(executor.stops()).isEmpty();
  }

  @Test
  void attemptsTheStoreDoesNotRunAreStopped() {
    round.run(request(BASE));
    executor.plant(key(0, 7), AttemptState.RUNNING); // not the trial's attempt
    executor.plant(key(3, 1), AttemptState.RUNNING); // a pending trial the store never launched
    executor.plant(new TrialKey(UID, 99, 1), AttemptState.PENDING); // no such trial

    round.run(request(BASE));

    assertThat(executor.stops())
        .containsExactlyInAnyOrder(key(0, 7), key(3, 1), new TrialKey(UID, 99, 1));
    assertThat(trial(0).state()).isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).attempt()).isEqualTo(1);
  }

  @Test
  void anAttemptThatCannotStartFailsAndIsRetried() {
    executor.failNextLaunch("no such image");

    round.run(request(BASE));

    assertThat(trial(0).state()).isEqualTo(TrialState.FAILED);
    assertThat(trial(0).failureKind()).isEqualTo(FailureKind.LAUNCH_FAILED);
    assertThat(trial(0).failureReason()).isEqualTo("could not start: no such image");
    assertThat(reasons(0))
        .as("the attempt's Launched event (written with its row), then why it could not start")
        .containsExactly(EventReason.LAUNCHED, EventReason.LAUNCH_FAILED);
    round.run(request(BASE));
    assertThat(trial(0).state()).isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).attempt()).isEqualTo(2);
  }

  @Test
  void aWorkerNamedInAdvanceIsRecordedWithTheStartInOneWrite() {
    executor.nameWorkersInAdvance();
    round.prepare(request(BASE)); // records the trials
    long before = trial(0).version();

    round.run(request(BASE));

    assertThat(trial(0).state()).isEqualTo(TrialState.RUNNING);
    assertThat(trial(0).worker()).isEqualTo("planned:0-1");
    assertThat(trial(0).version()).as("one write: the start with its worker").isEqualTo(before + 1);
    assertThat(reasons(0)).containsExactly(EventReason.LAUNCHED);
  }

  @Test
  void anAttemptNamedInAdvanceThatCannotStartFails() {
    executor.nameWorkersInAdvance();
    executor.failNextLaunch("forbidden: exceeded quota");

    round.run(request(BASE));

    assertThat(trial(0).state()).isEqualTo(TrialState.FAILED);
    assertThat(trial(0).failureReason()).isEqualTo("could not start: forbidden: exceeded quota");
    assertThat(reasons(0))
        .as("the attempt's Launched event (written with its row), then why it could not start")
        .containsExactly(EventReason.LAUNCHED, EventReason.LAUNCH_FAILED);
  }

  @Test
  void attemptsThatCannotStartAreInTheStatusWithTheFirstOnesReason() {
    SweepStatus s = round.run(request(BASE));
    assertThat(s.stuck()).isEmpty();
    executor.stick(key(1, 1), "Unschedulable (0/4 nodes have nvidia.com/gpu)");
    executor.stick(key(0, 1), "ImagePullBackOff");

    s = round.run(request(BASE));

    assertThat(s.stuck()).contains(new SweepStatus.Stuck(2, 0, "ImagePullBackOff"));
    assertThat(s.queuedAttempts()).isEqualTo(2);
    assertThat(trial(0).state()).as("it still waits").isEqualTo(TrialState.RUNNING);
  }

  @Test
  void theSweepCompletesWhenEveryTrialFinished() {
    for (int i = 0; i < 10 && !round.run(request(BASE)).phase().finished(); i++) {
      for (TrialKey k : executor.live()) {
        executor.exit(k, succeeded(k.trialIndex(), k.attempt(), 0.5 + k.trialIndex() / 10.0));
      }
    }
    SweepStatus s = round.run(request(BASE));

    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.reason()).isEqualTo(EventReason.ALL_TRIALS_FINISHED);
    assertThat(s.counts().of(TrialState.SUCCEEDED)).isEqualTo(4);
    assertThat(s.best()).get().extracting(SweepStatus.BestTrial::trialIndex).isEqualTo(3);
    assertThat(s.best().get().cellLabel()).isEqualTo("standard tanh d8 w16 lr0.01");
    assertThat(s.settled()).isTrue();
    assertThat(store.sweep(UID).orElseThrow().finishedAt()).isNotNull();
  }

  @Test
  void theBestCellIsTheBestMeanOverItsSeedsNotTheBestSingleTrial() {
    String twoSeeds = BASE.replace("epochs: 3", "epochs: 3\n  seeds: 2");
    // cell 1: 0.9 and 0.5 (mean 0.7, the best single trial); cell 2: 0.75 twice (mean 0.75)
    java.util.Map<Integer, double[]> byCell =
        java.util.Map.of(1, new double[] {0.9, 0.5}, 2, new double[] {0.75, 0.75});
    java.util.Map<Integer, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < 20 && !round.run(request(twoSeeds)).phase().finished(); i++) {
      for (TrialKey k : executor.live()) {
        int cell =
            store.trials(UID).stream()
                .filter(t -> t.trialIndex() == k.trialIndex())
                .findFirst()
                .orElseThrow()
                .cellIndex();
        double[] values = byCell.getOrDefault(cell, new double[] {0.1, 0.1});
        int n = seen.merge(cell, 1, Integer::sum) - 1;
        executor.exit(k, succeeded(k.trialIndex(), k.attempt(), values[n]));
      }
    }
    SweepStatus s = round.run(request(twoSeeds));

    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.best().get().cellIndex()).isEqualTo(1);
    assertThat(s.best().get().objective()).isEqualTo(0.9);
    assertThat(s.bestCell()).isPresent();
    assertThat(s.bestCell().get().cell().index()).isEqualTo(2);
    assertThat(s.bestCell().get().aggregate().n()).isEqualTo(2);
    assertThat(s.bestCell().get().aggregate().mean()).isEqualTo(0.75);
    assertThat(s.bestCell().get().aggregate().std()).isZero();
  }

  @Test
  void reachingTheTargetStopsTheRestAndCompletes() {
    String yaml = BASE.replace("goal: maximize}", "goal: maximize, target: 0.9}");
    round.run(request(yaml));
    executor.exit(key(0, 1), succeeded(0, 1, 0.95));

    SweepStatus s = round.run(request(yaml));

    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.reason()).isEqualTo(EventReason.GOAL_REACHED);
    assertThat(trial(1).state()).isEqualTo(TrialState.STOPPED);
    assertThat(executor.stops()).containsExactly(key(1, 1));
    assertThat(trial(2).state()).isEqualTo(TrialState.SKIPPED);
    assertThat(s.settled()).isFalse();

    executor.exitStopped(AttemptExit.of(143, summary(1, 1, 0.4), "", List.of()));
    s = round.run(request(yaml));

    assertThat(s.settled()).isTrue();
    assertThat(trial(1).state()).as("stays as the finish left it").isEqualTo(TrialState.STOPPED);
    assertThat(store.summary(UID, 1)).as("its summary is kept").isPresent();
    assertThat(executor.launches()).hasSize(2);
  }

  @Test
  void theDeadlineEndsTheSweep() {
    String yaml = BASE + "budget: {deadline: 10m}\n";
    round.run(request(yaml));
    clock.advance(Duration.ofMinutes(11));

    SweepStatus s = round.run(request(yaml));

    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.reason()).isEqualTo(EventReason.DEADLINE_EXCEEDED);
    assertThat(executor.stops()).containsExactlyInAnyOrder(key(0, 1), key(1, 1));
  }

  @Test
  void tooManyFailuresFailTheSweep() {
    String yaml = BASE + "budget: {maxFailedTrials: 0}\nretry: {maxRetries: 0}\n";
    round.run(request(yaml));
    executor.exit(key(0, 1), exited(1));

    SweepStatus s = round.run(request(yaml));

    assertThat(s.phase()).isEqualTo(SweepPhase.FAILED);
    assertThat(s.reason()).isEqualTo(EventReason.TOO_MANY_FAILED_TRIALS);
    assertThat(store.events())
        .filteredOn(e -> e.reason() == EventReason.TOO_MANY_FAILED_TRIALS)
        .singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo(EventType.WARNING));
  }

  @Test
  void theBudgetSkipsWhatItLeavesOut() {
    String yaml = BASE + "budget: {maxTrials: 2}\n";
    round.run(request(yaml));
    executor.exit(key(0, 1), succeeded(0, 1, 0.5));
    executor.exit(key(1, 1), succeeded(1, 1, 0.6));

    SweepStatus s = round.run(request(yaml));

    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.reason()).isEqualTo(EventReason.BUDGET_EXHAUSTED);
    assertThat(s.counts().of(TrialState.SKIPPED)).isEqualTo(2);
  }

  @Test
  void theMedianRuleStopsATrialBehindTheOthers() {
    String yaml =
        BASE.replace("parallelism: 2", "parallelism: 4")
            + "earlyStopping: {rule: median, gracePeriod: 1, minTrials: 2}\n";
    round.run(request(yaml));
    for (int i = 0; i < 4; i++) {
      double value = i == 3 ? 0.1 : 0.8;
      store.appendMetrics(
          new MetricBatch(
              UID + "-" + i, 1, List.of(new MetricPoint(10, 1, "val_accuracy", value, 1_000 + i))));
    }

    round.run(request(yaml));

    assertThat(trial(3).state()).isEqualTo(TrialState.EARLY_STOPPED);
    assertThat(trial(3).failureReason()).startsWith("median rule at epoch 1");
    assertThat(executor.stops()).containsExactly(key(3, 1));
    assertThat(reasons(3)).containsExactly(EventReason.LAUNCHED, EventReason.EARLY_STOPPED);
  }

  @Test
  void parallelismIsNeverExceeded() {
    String yaml = BASE.replace("depth: [4, 8]", "depth: [4, 8, 12, 16, 20]");
    SweepRequest r = request(yaml).withParallelism(3);
    int maxLive = 0;
    for (int i = 0; i < 40 && !round.run(r).phase().finished(); i++) {
      maxLive = Math.max(maxLive, executor.live().size());
      List<TrialKey> live = executor.live();
      if (!live.isEmpty()) {
        TrialKey k = live.get(i % live.size());
        executor.exit(k, i % 4 == 0 ? exited(137) : succeeded(k.trialIndex(), k.attempt(), 0.5));
      }
    }
    assertThat(maxLive).isEqualTo(3);
    assertThat(store.sweep(UID).orElseThrow().phase()).isEqualTo(SweepPhase.COMPLETE);
  }

  @Test
  void aSuspendedSweepStopsItsTrialsAndResumesThemAsNewAttempts() {
    SweepRequest.Suspension pause =
        new SweepRequest.Suspension(EventReason.INTERRUPTED, "stopped by the user", "interrupted");
    round.run(request(BASE));

    SweepStatus s = round.run(request(BASE).suspended(pause));
    assertThat(s.phase()).as("until its attempts end").isEqualTo(SweepPhase.RUNNING);
    assertThat(trial(0).state()).isEqualTo(TrialState.STOPPED);
    assertThat(trial(0).failureReason()).isEqualTo("interrupted");
    assertThat(executor.stops()).containsExactlyInAnyOrder(key(0, 1), key(1, 1));

    executor.exitStopped(exited(143));
    s = round.run(request(BASE).suspended(pause));
    assertThat(s.phase()).isEqualTo(SweepPhase.STOPPED);
    assertThat(s.reason()).isEqualTo(EventReason.INTERRUPTED);
    assertThat(s.settled()).isTrue();
    assertThat(reasons(null)).containsExactly(EventReason.CREATED, EventReason.INTERRUPTED);

    s = round.run(request(BASE));
    assertThat(s.phase()).isEqualTo(SweepPhase.RUNNING);
    assertThat(s.reason()).isEqualTo(EventReason.RESUMED);
    assertThat(trial(0).attempt()).isEqualTo(2);
    assertThat(trial(0).failedAttempts()).isZero();
  }

  @Test
  void aCompleteSweepWhoseSpecGrowsRunsAgainForItsNewCellsOnly() {
    String grown = BASE.replace("depth: [4, 8]", "depth: [4, 8, 16]");
    SweepStatus s = round.run(request(BASE));
    for (int i = 0; i < 10 && !s.phase().finished(); i++) {
      executor.live().forEach(k -> executor.exit(k, succeeded(k.trialIndex(), k.attempt(), 0.5)));
      s = round.run(request(BASE));
    }
    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(executor.launches()).hasSize(4);

    s = round.run(SweepRequest.run(UID, "local", "t", 2, spec(grown)));

    assertThat(s.phase()).isEqualTo(SweepPhase.RUNNING);
    assertThat(s.finishedAt()).isNull();
    assertThat(store.events())
        .filteredOn(e -> e.trialIndex() == null && e.reason() == EventReason.UPDATED)
        .extracting(InMemoryResultStore.Event::message)
        .contains("generation 2 adds 2 trials: the sweep runs again");
    for (int i = 0; i < 10 && !s.phase().finished(); i++) {
      executor.live().forEach(k -> executor.exit(k, succeeded(k.trialIndex(), k.attempt(), 0.5)));
      s = round.run(SweepRequest.run(UID, "local", "t", 2, spec(grown)));
    }
    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.counts().total()).isEqualTo(6);
    assertThat(executor.launches()).as("only the 2 new trials ran").hasSize(6);
    assertThat(executor.launches()).extracting(l -> l.key().attempt()).containsOnly(1);
  }

  @Test
  void aSweepThatReachedItsGoalStaysEndedWhenItsSpecGrows() {
    String target = BASE.replace("goal: maximize}", "goal: maximize, target: 0.8}");
    round.run(request(target));
    executor.live().forEach(k -> executor.exit(k, succeeded(k.trialIndex(), k.attempt(), 0.9)));
    SweepStatus s = round.run(request(target));
    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.reason()).isEqualTo(EventReason.GOAL_REACHED);

    s =
        round.run(
            SweepRequest.run(
                UID, "local", "t", 2, spec(target.replace("depth: [4, 8]", "depth: [4, 8, 16]"))));

    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(s.reason()).isEqualTo(EventReason.GOAL_REACHED);
  }

  @Test
  void aGrownSpecRunsOnlyItsNewCells() {
    String grown = BASE.replace("depth: [4, 8]", "depth: [4, 8, 16]");
    round.run(request(BASE));
    executor.live().forEach(k -> executor.exit(k, succeeded(k.trialIndex(), k.attempt(), 0.5)));

    SweepStatus s = round.run(SweepRequest.run(UID, "local", "t", 2, spec(grown)));

    assertThat(s.accepted()).isTrue();
    assertThat(s.observedGeneration()).isEqualTo(2);
    assertThat(store.sweep(UID).orElseThrow().generation()).isEqualTo(2);
    assertThat(store.cells(UID))
        .extracting(c -> c.method() + " d" + c.depth())
        .containsExactly(
            "dks d4", "standard d4", "dks d8", "standard d8", "dks d16", "standard d16");
    assertThat(store.trials(UID)).hasSize(6);
    assertThat(trial(0).state())
        .as("finished trials keep their results")
        .isEqualTo(TrialState.SUCCEEDED);
    assertThat(reasons(null)).containsExactly(EventReason.CREATED, EventReason.UPDATED);
    for (int i = 0; i < 10 && !s.phase().finished(); i++) {
      executor.live().forEach(k -> executor.exit(k, succeeded(k.trialIndex(), k.attempt(), 0.5)));
      s = round.run(SweepRequest.run(UID, "local", "t", 2, spec(grown)));
    }
    assertThat(s.phase()).isEqualTo(SweepPhase.COMPLETE);
    assertThat(executor.launches()).extracting(l -> l.key().attempt()).containsOnly(1);
    assertThat(executor.launches()).hasSize(6);
  }

  @Test
  void aChangeThatRewritesResultsIsRefusedAndTheSweepGoesOn() {
    round.run(request(BASE));
    String changed =
        BASE.replace("metric: val_accuracy, goal: maximize", "metric: val_loss, goal: minimize")
            .replace("depth: [4, 8]", "depth: [4]");
    SweepRequest next = SweepRequest.run(UID, "local", "t", 2, spec(changed));

    SweepStatus s = round.run(next);
    round.run(next);

    assertThat(s.accepted()).isFalse();
    assertThat(s.violations()).extracting(SpecViolation::field).contains("objective", "space");
    assertThat(s.observedGeneration()).isEqualTo(1);
    assertThat(s.phase()).isEqualTo(SweepPhase.RUNNING);
    assertThat(store.sweep(UID).orElseThrow().generation()).isEqualTo(1);
    assertThat(reasons(null)).containsExactly(EventReason.CREATED, EventReason.INVALID_SPEC);
  }

  @Test
  void anInvalidFirstDocumentRecordsNothing() {
    SweepSpec bad = spec(BASE);
    SweepSpec invalid =
        new SweepSpec(
            bad.objective(),
            bad.architecture(),
            bad.space(),
            bad.methodParams(),
            bad.baselines(),
            bad.strategy(),
            bad.preflight(),
            0,
            bad.budget(),
            bad.earlyStopping(),
            bad.retry(),
            bad.training(),
            bad.trainer());

    SweepStatus s = round.run(SweepRequest.run(UID, "local", "t", 1, invalid));

    assertThat(s.violations()).extracting(SpecViolation::field).containsExactly("parallelism");
    assertThat(s.phase()).isEqualTo(SweepPhase.PENDING);
    assertThat(store.sweep(UID)).isEmpty();
    assertThat(executor.launches()).isEmpty();
  }

  @Test
  void cellsThePreflightCannotShapeAreSkippedOrFailTheSweep() {
    String tatRelu =
        BASE.replace("method: [dks, standard]", "method: [tat]")
            .replace("activation: [tanh]", "activation: [tanh, relu]");
    SweepStatus s = round.run(request(tatRelu));
    assertThat(s.phase()).isEqualTo(SweepPhase.RUNNING);
    assertThat(s.counts().of(TrialState.SKIPPED)).isEqualTo(2);

    store = new InMemoryResultStore(clock);
    round = newRound(new FakeTrialExecutor());
    s = round.run(request(tatRelu + "preflight: {skipInfeasible: false}\n"));
    assertThat(s.phase()).isEqualTo(SweepPhase.FAILED);
    assertThat(s.reason()).isEqualTo(EventReason.INFEASIBLE_CELLS);
    assertThat(s.counts().of(TrialState.SKIPPED)).isEqualTo(4);
  }
}
