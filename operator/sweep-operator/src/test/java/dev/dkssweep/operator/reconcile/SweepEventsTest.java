package dev.dkssweep.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.operator.api.v1alpha1.SweepStatus;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SweepEventsTest {

  static final Instant T0 = StatusMapperTest.T0;

  static SweepStatus status(
      SweepPhase phase,
      int live,
      int queued,
      Optional<dev.dkssweep.sweep.control.SweepStatus.Stuck> stuck,
      SweepStatus before) {
    return StatusMapper.status(
        StatusMapperTest.core(1, phase, null, List.of(), live, queued, stuck),
        1,
        false,
        before,
        T0,
        Optional.empty());
  }

  @Test
  void theFirstStatusAnnouncesAcceptanceTheLaunchesAndThePhase() {
    SweepStatus first = status(SweepPhase.RUNNING, 3, 1, Optional.empty(), null);
    assertThat(SweepEvents.changes(null, first))
        .extracting(SweepEvents.Change::reason)
        .containsExactly(
            "Accepted",
            "Launched",
            "EarlyStopped",
            "TrialsFailed",
            "TrialsRequeued",
            "TrialsRelaunched",
            "Running");
  }

  @Test
  void anUnchangedStatusPostsNothing() {
    SweepStatus a = status(SweepPhase.RUNNING, 3, 1, Optional.empty(), null);
    SweepStatus b = status(SweepPhase.RUNNING, 3, 1, Optional.empty(), a);
    assertThat(SweepEvents.changes(a, b)).isEmpty();
  }

  @Test
  void attemptsThatCannotStartAreOneWarningUntilTheyClear() {
    var stuck = Optional.of(new dev.dkssweep.sweep.control.SweepStatus.Stuck(1, 2, "ErrImagePull"));
    SweepStatus ok = status(SweepPhase.RUNNING, 3, 1, Optional.empty(), null);
    SweepStatus bad = status(SweepPhase.RUNNING, 3, 1, stuck, ok);
    List<SweepEvents.Change> c = SweepEvents.changes(ok, bad);
    assertThat(c).hasSize(1);
    assertThat(c.get(0).type()).isEqualTo("Warning");
    assertThat(c.get(0).reason()).isEqualTo("TrialsCannotStart");
    assertThat(c.get(0).message()).contains("trial 2: ErrImagePull");
    SweepStatus stillBad = status(SweepPhase.RUNNING, 3, 1, stuck, bad);
    assertThat(SweepEvents.changes(bad, stillBad)).as("no Event per round").isEmpty();
    SweepStatus cleared = status(SweepPhase.RUNNING, 3, 1, Optional.empty(), stillBad);
    assertThat(SweepEvents.changes(stillBad, cleared)).isEmpty();
    assertThat(SweepEvents.changes(cleared, status(SweepPhase.RUNNING, 3, 1, stuck, cleared)))
        .as("again when it comes back")
        .extracting(SweepEvents.Change::reason)
        .containsExactly("TrialsCannotStart");
  }

  @Test
  void aFailedSweepIsAWarningWithItsReason() {
    SweepStatus running = status(SweepPhase.RUNNING, 3, 1, Optional.empty(), null);
    SweepStatus failed =
        StatusMapper.status(
            StatusMapperTest.core(
                1, SweepPhase.FAILED, EventReason.TOO_MANY_FAILED_TRIALS, List.of(), 0, 0),
            1,
            false,
            running,
            T0,
            Optional.empty());
    assertThat(SweepEvents.changes(running, failed))
        .filteredOn(c -> c.type().equals("Warning"))
        .extracting(SweepEvents.Change::reason)
        .containsExactly("TooManyFailedTrials");
  }

  static SweepStatus.Counts counts(
      int queued, int running, int succeeded, int failed, int stopped) {
    return counts(queued, running, succeeded, failed, stopped, 0, 0);
  }

  static SweepStatus.Counts counts(
      int queued,
      int running,
      int succeeded,
      int failed,
      int stopped,
      int requeued,
      int relaunched) {
    return new SweepStatus.Counts(
        20, 0, queued, running, succeeded, failed, stopped, 0, requeued, relaunched);
  }

  static SweepStatus withCounts(SweepStatus.Counts c) {
    return new SweepStatus(1L, "Running", null, null, c, "0/20", null, null, null, null);
  }

  @Test
  void retriesAndInterruptionsPostAnEventEachTimeTheyGrow() {
    SweepStatus before = withCounts(counts(0, 2, 3, 0, 0, 0, 1));
    // one failed attempt retried, one other trial preempted and waiting to run again
    SweepStatus after = withCounts(counts(0, 2, 3, 0, 0, 1, 2));
    assertThat(SweepEvents.changes(before, after))
        .extracting(SweepEvents.Change::type, SweepEvents.Change::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Normal", "TrialsRequeued"),
            org.assertj.core.groups.Tuple.tuple("Normal", "TrialsRelaunched"));
    assertThat(SweepEvents.changes(before, after))
        .filteredOn(c -> c.reason().equals("TrialsRelaunched"))
        .extracting(SweepEvents.Change::message)
        .singleElement()
        .asString()
        .startsWith("1 trial attempts started again (retries after a failure")
        .endsWith("2 so far)");
    // the requeued trial runs again: a relaunch, and nothing new is requeued
    SweepStatus resumed = withCounts(counts(0, 2, 3, 0, 0, 0, 3));
    assertThat(SweepEvents.changes(after, resumed))
        .extracting(SweepEvents.Change::reason)
        .containsExactly("TrialsRelaunched");
    assertThat(SweepEvents.changes(resumed, resumed))
        .as("nothing changed, nothing posted")
        .isEmpty();
  }

  @Test
  void aLaunchWaveCountsTheAttemptsThatReplacedFinishedOnes() {
    assertThat(SweepEvents.launched(null, counts(1, 2, 0, 0, 0))).isEqualTo(3);
    assertThat(SweepEvents.launched(counts(0, 2, 0, 0, 0), counts(0, 2, 2, 0, 0)))
        .as("two ended and two started: the active count alone says none")
        .isEqualTo(2);
    assertThat(SweepEvents.launched(counts(0, 2, 3, 0, 0), counts(0, 1, 3, 1, 0)))
        .as("one failed for good, nothing started")
        .isZero();
    assertThat(SweepEvents.launched(counts(0, 2, 3, 0, 0), counts(0, 0, 3, 0, 0)))
        .as("suspended: attempts stopped, none started")
        .isZero();
    assertThat(SweepEvents.launched(counts(0, 2, 3, 0, 0), counts(1, 2, 4, 0, 1))).isEqualTo(3);
  }
}
