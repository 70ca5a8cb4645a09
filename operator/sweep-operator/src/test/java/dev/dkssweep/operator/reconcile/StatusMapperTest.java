package dev.dkssweep.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.operator.api.v1alpha1.SweepStatus;
import dev.dkssweep.sweep.control.TrialCounts;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.planning.SeedAggregate;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.SpecViolation;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusMapperTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Cell CELL =
      new Cell(3, "dks", Method.DKS, Architecture.MLP, "tanh", 50, 64, 0.001, "synthetic-clusters");

  static dev.dkssweep.sweep.control.SweepStatus core(
      long generation,
      SweepPhase phase,
      EventReason reason,
      List<SpecViolation> v,
      int live,
      int queued) {
    return core(generation, phase, reason, v, live, queued, Optional.empty());
  }

  static dev.dkssweep.sweep.control.SweepStatus core(
      long generation,
      SweepPhase phase,
      EventReason reason,
      List<SpecViolation> v,
      int live,
      int queued,
      Optional<dev.dkssweep.sweep.control.SweepStatus.Stuck> stuck) {
    TrialCounts counts =
        new TrialCounts(
            10,
            Map.of(
                TrialState.PENDING, 2,
                TrialState.RUNNING, 3,
                TrialState.SUCCEEDED, 2,
                TrialState.FAILED, 1,
                TrialState.EARLY_STOPPED, 1,
                TrialState.STOPPED, 1),
            4);
    return new dev.dkssweep.sweep.control.SweepStatus(
        "uid-1",
        generation,
        phase,
        reason,
        v,
        counts,
        Optional.empty(),
        Optional.of(
            new dev.dkssweep.sweep.control.SweepStatus.BestCell(
                CELL, SeedAggregate.of(3, List.of(0.9, 0.8), 0, 0))),
        T0,
        phase.finished() ? T0.plusSeconds(600) : null,
        live,
        queued,
        stuck,
        0);
  }

  static Condition condition(SweepStatus s, String type) {
    return s.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void aRunningSweepCountsItsTrialsAndNamesItsBestCell() {
    SweepStatus s =
        StatusMapper.status(
            core(2, SweepPhase.RUNNING, null, List.of(), 3, 1),
            2,
            false,
            null,
            T0,
            Optional.of("https://dks.example/"));
    assertThat(s.observedGeneration()).isEqualTo(2);
    assertThat(s.phase()).isEqualTo("Running");
    assertThat(s.progress()).isEqualTo("5/10");
    assertThat(s.counts().running()).isEqualTo(2);
    assertThat(s.counts().queued()).isEqualTo(1);
    assertThat(s.counts().pending()).isEqualTo(2);
    assertThat(s.counts().failed()).isEqualTo(1);
    assertThat(s.counts().earlyStopped()).isEqualTo(1);
    assertThat(s.counts().requeued()).isEqualTo(1);
    assertThat(s.counts().relaunched()).isEqualTo(4);
    assertThat(s.best().cell()).isEqualTo(CELL.label());
    assertThat(s.best().n()).isEqualTo(2);
    assertThat(s.best().mean()).isEqualTo(0.85, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.best().depth()).isEqualTo(50);
    assertThat(s.startTime()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(s.completionTime()).isNull();
    assertThat(s.dashboardUrl()).isEqualTo("https://dks.example/#/sweep/uid-1");
    assertThat(condition(s, "Accepted").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Running").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Complete").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("False");
  }

  @Test
  void aCompleteSweepSaysWhy() {
    SweepStatus s =
        StatusMapper.status(
            core(1, SweepPhase.COMPLETE, EventReason.GOAL_REACHED, List.of(), 0, 0),
            1,
            false,
            null,
            T0,
            Optional.empty());
    assertThat(condition(s, "Complete").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Complete").getReason()).isEqualTo("GoalReached");
    assertThat(condition(s, "Running").getStatus()).isEqualTo("False");
    assertThat(s.completionTime()).isEqualTo("2026-12-01T10:10:00Z");
    assertThat(s.counts().requeued()).as("nothing waits to run again").isZero();
    assertThat(s.dashboardUrl()).isNull();
  }

  @Test
  void aRefusedFirstGenerationIsNotAcceptedWithEveryViolation() {
    List<SpecViolation> v =
        List.of(
            new SpecViolation("space.depth[0]", "must be >= 1"),
            new SpecViolation("space.activation[0]", "unknown activation"));
    var refused =
        new dev.dkssweep.sweep.control.SweepStatus(
            "uid-1",
            0,
            SweepPhase.PENDING,
            null,
            v,
            new TrialCounts(0, Map.of(), 0),
            Optional.empty(),
            Optional.empty(),
            null,
            null,
            0,
            0,
            Optional.empty(),
            0);
    SweepStatus s = StatusMapper.status(refused, 1, false, null, T0, Optional.empty());
    Condition accepted = condition(s, "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo("InvalidSpec");
    assertThat(accepted.getMessage())
        .contains("space.depth[0]: must be >= 1")
        .contains("space.activation[0]");
    assertThat(s.observedGeneration()).isEqualTo(1);
    assertThat(s.phase()).isEqualTo("Pending");
    assertThat(condition(s, "Degraded").getStatus())
        .as("nothing runs to be degraded")
        .isEqualTo("False");
  }

  @Test
  void aRefusedLaterGenerationDegradesARunningSweep() {
    SweepStatus s =
        StatusMapper.status(
            core(
                1,
                SweepPhase.RUNNING,
                null,
                List.of(new SpecViolation("objective", "cannot change")),
                3,
                0),
            2,
            false,
            null,
            T0,
            Optional.empty());
    assertThat(condition(s, "Accepted").getStatus()).isEqualTo("False");
    assertThat(condition(s, "Degraded").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Degraded").getMessage())
        .contains("generation 1")
        .contains("objective");
    assertThat(s.phase()).isEqualTo("Running");
  }

  @Test
  void attemptsThatCannotStartDegradeTheSweepAndSayWhy() {
    var stuck =
        new dev.dkssweep.sweep.control.SweepStatus.Stuck(
            2, 4, "ImagePullBackOff (Back-off pulling image \"ghcr.io/x/trainer:typo\")");
    SweepStatus s =
        StatusMapper.status(
            core(1, SweepPhase.RUNNING, null, List.of(), 3, 2, Optional.of(stuck)),
            1,
            false,
            null,
            T0,
            Optional.empty());
    Condition degraded = condition(s, "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("TrialsCannotStart");
    assertThat(degraded.getMessage())
        .isEqualTo(
            "2 trial attempts cannot start (trial 4: ImagePullBackOff (Back-off pulling image"
                + " \"ghcr.io/x/trainer:typo\")); past the start timeout each fails as could"
                + " not start");
    assertThat(s.counts().queued()).as("they are still queued").isEqualTo(2);
    SweepStatus cleared =
        StatusMapper.status(
            core(1, SweepPhase.RUNNING, null, List.of(), 3, 2),
            1,
            false,
            s,
            T0.plusSeconds(60),
            Optional.empty());
    assertThat(condition(cleared, "Degraded").getStatus()).isEqualTo("False");
    assertThat(condition(cleared, "Degraded").getLastTransitionTime())
        .isEqualTo("2026-12-01T10:01:00Z");
  }

  @Test
  void aRefusedGenerationAndStuckAttemptsAreBothInDegraded() {
    SweepStatus s =
        StatusMapper.status(
            core(
                1,
                SweepPhase.RUNNING,
                null,
                List.of(new SpecViolation("objective", "cannot change")),
                1,
                1,
                Optional.of(
                    new dev.dkssweep.sweep.control.SweepStatus.Stuck(1, 0, "Unschedulable"))),
            2,
            false,
            null,
            T0,
            Optional.empty());
    Condition degraded = condition(s, "Degraded");
    assertThat(degraded.getReason()).isEqualTo("InvalidSpec");
    assertThat(degraded.getMessage())
        .contains("objective: cannot change")
        .contains("1 trial attempt cannot start (trial 0: Unschedulable)");
  }

  @Test
  void suspensionIsACondition() {
    SweepStatus s =
        StatusMapper.status(
            core(1, SweepPhase.STOPPED, EventReason.SUSPENDED, List.of(), 0, 0),
            1,
            true,
            null,
            T0,
            Optional.empty());
    assertThat(condition(s, "Suspended").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Suspended").getReason()).isEqualTo("Suspended");
  }

  @Test
  void theSameRoundGivesAnEqualStatusSoNothingIsPatched() {
    var c = core(1, SweepPhase.RUNNING, null, List.of(), 3, 0);
    SweepStatus first = StatusMapper.status(c, 1, false, null, T0, Optional.empty());
    SweepStatus again =
        StatusMapper.status(c, 1, false, first, T0.plusSeconds(30), Optional.empty());
    assertThat(again).isEqualTo(first);
    var done = core(1, SweepPhase.COMPLETE, EventReason.ALL_TRIALS_FINISHED, List.of(), 0, 0);
    SweepStatus later =
        StatusMapper.status(done, 1, false, first, T0.plusSeconds(60), Optional.empty());
    assertThat(condition(later, "Complete").getLastTransitionTime())
        .isEqualTo("2026-12-01T10:01:00Z");
    assertThat(condition(later, "Accepted").getLastTransitionTime())
        .as("unchanged conditions keep their time")
        .isEqualTo("2026-12-01T10:00:00Z");
  }
}
