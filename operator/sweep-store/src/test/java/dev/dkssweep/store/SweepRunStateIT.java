package dev.dkssweep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.EpochPoint;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a runner reads to plan and resume: sweep phases, failed attempts, per-epoch values. */
class SweepRunStateIT extends EmbeddedStoreIT {

  static void sweep(String uid, String reduce) {
    store.recordSweep(
        new NewSweep(
            uid,
            "local",
            "quick",
            1,
            "{\"objective\": {\"metric\": \"val_accuracy\", \"reduce\": \"" + reduce + "\"}}",
            "val_accuracy",
            Goal.MAXIMIZE));
    store.recordCells(uid, List.of(TrialRecordsIT.cell(0, true)));
    store.recordTrials(uid, List.of(new NewTrial(0, 0, 1), new NewTrial(1, 0, 2)));
  }

  @Test
  void phasesRecordStartAndFinishAndTheLatestSweepIsFoundByName() throws Exception {
    sweep("u-1", "last");
    Thread.sleep(5);
    sweep("u-2", "last");
    assertThat(store.latestSweep("local", "quick"))
        .get()
        .extracting(StoredSweep::uid)
        .isEqualTo("u-2");
    assertThat(store.latestSweep("local", "other")).isEmpty();
    StoredSweep fresh = store.sweep("u-1").orElseThrow();
    assertThat(fresh.phase()).isEqualTo(SweepPhase.PENDING);
    assertThat(fresh.startedAt()).isNull();
    assertThat(fresh.specJson()).contains("val_accuracy");

    store.sweepPhase("u-1", SweepPhase.RUNNING, null);
    StoredSweep running = store.sweep("u-1").orElseThrow();
    assertThat(running.startedAt()).isNotNull();
    store.sweepPhase("u-1", SweepPhase.STOPPED, EventReason.INTERRUPTED);
    store.sweepPhase("u-1", SweepPhase.RUNNING, null);
    assertThat(store.sweep("u-1").orElseThrow().startedAt())
        .as("a resumed sweep keeps its first start (the deadline counts from it)")
        .isEqualTo(running.startedAt());
    store.sweepPhase("u-1", SweepPhase.COMPLETE, EventReason.ALL_TRIALS_FINISHED);
    StoredSweep done = store.sweep("u-1").orElseThrow();
    assertThat(done.finished()).isTrue();
    assertThat(done.finishedAt()).isNotNull();
    assertThat(done.phaseReason()).isEqualTo(EventReason.ALL_TRIALS_FINISHED);
    assertThatThrownBy(() -> store.sweepPhase("nope", SweepPhase.RUNNING, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failedAttemptsCountAndARelaunchClearsThePreviousAttempt() {
    sweep("u-1", "last");
    long v =
        store.transition("u-1", 0, new TrialTransition(0, TrialState.RUNNING, 1, "pid:1", null));
    v = store.transition("u-1", 0, new TrialTransition(v, TrialState.FAILED, 1, null, "exit 1"));
    v = store.transition("u-1", 0, new TrialTransition(v, TrialState.RUNNING, 2, "pid:2", null));
    StoredTrial t = store.trials("u-1").get(0);
    assertThat(t.failedAttempts()).isEqualTo(1);
    assertThat(t.failureReason()).as("cleared by the relaunch").isNull();
    v = store.transition("u-1", 0, new TrialTransition(v, TrialState.DIVERGED, 2, null, "nan"));
    assertThat(store.trials("u-1").get(0).failedAttempts()).isEqualTo(2);
    store.transition("u-1", 0, new TrialTransition(v, TrialState.RUNNING, 3, "pid:3", null));
    assertThat(store.trials("u-1").get(0).attempt()).isEqualTo(3);
  }

  @Test
  void theObjectiveIsReducedAsTheSpecSays() {
    for (String reduce : List.of("last", "max")) {
      String uid = "u-" + reduce;
      sweep(uid, reduce);
      store.transition(uid, 0, new TrialTransition(0, TrialState.RUNNING, 1, "pid:1", null));
      store.recordSummary(
          uid,
          new TrialSummary(
              uid + "-0",
              1,
              TrialStatus.SUCCEEDED,
              Map.of("val_accuracy", 0.7),
              Map.of("val_accuracy", 0.8),
              100,
              1.0,
              10.0,
              null,
              null,
              null,
              0));
      assertThat(store.trials(uid).get(0).objective())
          .as(reduce)
          .isEqualTo(reduce.equals("last") ? 0.7 : 0.8);
    }
  }

  @Test
  void epochValuesAreTheLastPointOfEachEpochOfTheCurrentAttempt() {
    sweep("u-1", "last");
    long v =
        store.transition("u-1", 0, new TrialTransition(0, TrialState.RUNNING, 1, "pid:1", null));
    store.appendMetrics(
        new MetricBatch(
            "u-1-0",
            1,
            List.of(
                new MetricPoint(10, 1, "val_accuracy", 0.5, 1_000),
                new MetricPoint(20, 2, "val_accuracy", 0.6, 2_000),
                new MetricPoint(20, 2, "train_loss", 0.9, 2_000))));
    assertThat(store.epochValues("u-1", "val_accuracy"))
        .containsExactly(new EpochPoint(0, 1, 0.5, 1_000), new EpochPoint(0, 2, 0.6, 2_000));
    v = store.transition("u-1", 0, new TrialTransition(v, TrialState.FAILED, 1, null, "crash"));
    store.transition("u-1", 0, new TrialTransition(v, TrialState.RUNNING, 2, "pid:2", null));
    store.appendMetrics(
        new MetricBatch("u-1-0", 2, List.of(new MetricPoint(10, 1, "val_accuracy", 0.55, 3_000))));
    assertThat(store.epochValues("u-1", "val_accuracy"))
        .as("only the current attempt")
        .containsExactly(new EpochPoint(0, 1, 0.55, 3_000));
  }
}
