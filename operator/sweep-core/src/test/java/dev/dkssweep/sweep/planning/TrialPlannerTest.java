package dev.dkssweep.sweep.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.TrialAction.Finish;
import dev.dkssweep.sweep.planning.TrialAction.Launch;
import dev.dkssweep.sweep.planning.TrialAction.Skip;
import dev.dkssweep.sweep.planning.TrialAction.Stop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrialPlannerTest {

  static final Instant T0 = Instant.parse("2026-11-28T12:00:00Z");
  static final SweepDefinition.Objective MAX =
      new SweepDefinition.Objective(
          "val_accuracy", Goal.MAXIMIZE, Reduce.LAST, OptionalDouble.empty());
  static final SweepDefinition.EarlyStopping NONE =
      new SweepDefinition.EarlyStopping(StoppingRule.NONE, 1, 3, 3, true);

  static PlannerPolicy policy(int trials, int parallelism) {
    return new PlannerPolicy(
        parallelism,
        trials,
        trials,
        null,
        MAX,
        NONE,
        1,
        5,
        IntStream.range(0, trials).boxed().toList());
  }

  static TrialView pending(int i) {
    return new TrialView(i, i, TrialState.PENDING, 0, 0, false, null, List.of());
  }

  static TrialView running(int i, int attempt) {
    return new TrialView(i, i, TrialState.RUNNING, attempt, 0, true, null, List.of());
  }

  static TrialView done(int i, TrialState state, int attempt, int failed, Double objective) {
    return new TrialView(i, i, state, attempt, failed, false, objective, List.of());
  }

  static Observation at(List<TrialView> trials) {
    return new Observation(T0.plusSeconds(60), T0, trials);
  }

  static List<TrialView> pendings(int n) {
    return new ArrayList<>(IntStream.range(0, n).mapToObj(TrialPlannerTest::pending).toList());
  }

  @Test
  void launchesUpToParallelismInLaunchOrder() {
    PlannerPolicy p = new PlannerPolicy(2, 5, 5, null, MAX, NONE, 1, 5, List.of(3, 1, 4, 0, 2));
    Plan plan = new TrialPlanner(p).plan(at(pendings(5)));
    assertThat(plan.all(Launch.class))
        .containsExactly(new Launch(3, 1, null), new Launch(1, 1, null));
    assertThat(plan.finish()).isEmpty();
  }

  @Test
  void runningTrialsTakeSlots() {
    List<TrialView> trials = pendings(4);
    trials.set(0, running(0, 1));
    trials.set(1, running(1, 1));
    assertThat(new TrialPlanner(policy(4, 2)).plan(at(trials)).actions()).isEmpty();
    trials.set(1, done(1, TrialState.SUCCEEDED, 1, 0, 0.9));
    assertThat(new TrialPlanner(policy(4, 2)).plan(at(trials)).all(Launch.class))
        .containsExactly(new Launch(2, 1, null));
  }

  @Test
  void budgetCapsLaunchesAndSkipsTheRestAtTheEnd() {
    PlannerPolicy p = new PlannerPolicy(4, 2, 4, null, MAX, NONE, 1, 5, List.of(0, 1, 2, 3));
    assertThat(new TrialPlanner(p).plan(at(pendings(4))).all(Launch.class))
        .extracting(Launch::trialIndex)
        .containsExactly(0, 1);
    List<TrialView> trials = pendings(4);
    trials.set(0, done(0, TrialState.SUCCEEDED, 1, 0, 0.5));
    trials.set(1, done(1, TrialState.SUCCEEDED, 1, 0, 0.6));
    Plan end = new TrialPlanner(p).plan(at(trials));
    assertThat(end.all(Launch.class)).isEmpty();
    assertThat(end.all(Skip.class)).extracting(Skip::trialIndex).containsExactly(2, 3);
    assertThat(end.finish())
        .get()
        .extracting(Finish::failed, Finish::reason)
        .containsExactly(false, EventReason.BUDGET_EXHAUSTED);
  }

  @Test
  void retriesFailedTrialsThenCountsThemFailedForGood() {
    List<TrialView> trials = pendings(3);
    trials.set(0, done(0, TrialState.FAILED, 1, 1, null));
    Plan plan = new TrialPlanner(policy(3, 1)).plan(at(trials));
    assertThat(plan.all(Launch.class)).containsExactly(new Launch(0, 2, "retry 1 of 1"));
    trials.set(0, done(0, TrialState.FAILED, 2, 2, null));
    plan = new TrialPlanner(policy(3, 1)).plan(at(trials));
    assertThat(plan.all(Launch.class)).containsExactly(new Launch(1, 1, null));
  }

  @Test
  void aTrialTheTrainerRefusedIsNotRetried() {
    List<TrialView> trials = pendings(3);
    trials.set(0, new TrialView(0, 0, TrialState.FAILED, 1, 1, false, null, List.of(), true));
    Plan plan = new TrialPlanner(policy(3, 2)).plan(at(trials));
    assertThat(plan.all(Launch.class))
        .containsExactly(new Launch(1, 1, null), new Launch(2, 1, null));
  }

  @Test
  void failsTheSweepWhenTooManyTrialsFailed() {
    PlannerPolicy p = new PlannerPolicy(2, 4, 1, null, MAX, NONE, 0, 5, List.of(0, 1, 2, 3));
    List<TrialView> trials = pendings(4);
    trials.set(0, done(0, TrialState.FAILED, 1, 1, null));
    trials.set(1, running(1, 1));
    assertThat(new TrialPlanner(p).plan(at(trials)).finish()).isEmpty();
    trials.set(2, done(2, TrialState.FAILED, 1, 1, null));
    Plan plan = new TrialPlanner(p).plan(at(trials));
    assertThat(plan.all(Stop.class))
        .singleElement()
        .satisfies(s -> assertThat(s.outcome()).isEqualTo(TrialState.STOPPED));
    assertThat(plan.all(Skip.class)).extracting(Skip::trialIndex).containsExactly(3);
    assertThat(plan.finish())
        .get()
        .extracting(Finish::failed, Finish::reason)
        .containsExactly(true, EventReason.TOO_MANY_FAILED_TRIALS);
    assertThat(plan.all(Launch.class)).isEmpty();
  }

  @Test
  void divergedIsAResultUnlessNonFiniteLossesAreRetried() {
    List<TrialView> trials = pendings(2);
    trials.set(0, done(0, TrialState.DIVERGED, 1, 1, null));
    Plan plan = new TrialPlanner(policy(2, 1)).plan(at(trials));
    assertThat(plan.all(Launch.class)).containsExactly(new Launch(1, 1, null));
    PlannerPolicy retryNonFinite =
        new PlannerPolicy(
            1,
            2,
            2,
            null,
            MAX,
            new SweepDefinition.EarlyStopping(StoppingRule.NONE, 1, 3, 3, false),
            1,
            5,
            List.of(0, 1));
    assertThat(new TrialPlanner(retryNonFinite).plan(at(trials)).all(Launch.class))
        .containsExactly(new Launch(0, 2, "retry 1 of 1"));
  }

  @Test
  void stopsEverythingWhenTheGoalIsReached() {
    SweepDefinition.Objective target =
        new SweepDefinition.Objective(
            "val_accuracy", Goal.MAXIMIZE, Reduce.LAST, OptionalDouble.of(0.9));
    PlannerPolicy p = new PlannerPolicy(2, 4, 4, null, target, NONE, 1, 5, List.of(0, 1, 2, 3));
    List<TrialView> trials = pendings(4);
    trials.set(0, done(0, TrialState.SUCCEEDED, 1, 0, 0.85));
    trials.set(1, running(1, 1));
    assertThat(new TrialPlanner(p).plan(at(trials)).finish()).isEmpty();
    trials.set(0, done(0, TrialState.SUCCEEDED, 1, 0, 0.9));
    Plan plan = new TrialPlanner(p).plan(at(trials));
    assertThat(plan.all(Stop.class)).extracting(Stop::trialIndex).containsExactly(1);
    assertThat(plan.all(Skip.class)).extracting(Skip::trialIndex).containsExactly(2, 3);
    assertThat(plan.finish())
        .get()
        .extracting(Finish::failed, Finish::reason)
        .containsExactly(false, EventReason.GOAL_REACHED);
  }

  @Test
  void minimisingGoalsCompareTheOtherWay() {
    SweepDefinition.Objective target =
        new SweepDefinition.Objective(
            "val_loss", Goal.MINIMIZE, Reduce.MIN, OptionalDouble.of(0.3));
    PlannerPolicy p = new PlannerPolicy(1, 2, 2, null, target, NONE, 1, 5, List.of(0, 1));
    List<TrialView> trials = pendings(2);
    trials.set(0, done(0, TrialState.SUCCEEDED, 1, 0, 0.31));
    assertThat(new TrialPlanner(p).plan(at(trials)).finish()).isEmpty();
    trials.set(0, done(0, TrialState.SUCCEEDED, 1, 0, 0.29));
    assertThat(new TrialPlanner(p).plan(at(trials)).finish())
        .get()
        .extracting(Finish::reason)
        .isEqualTo(EventReason.GOAL_REACHED);
  }

  @Test
  void stopsEverythingAtTheDeadline() {
    PlannerPolicy p =
        new PlannerPolicy(1, 2, 2, Duration.ofMinutes(30), MAX, NONE, 1, 5, List.of(0, 1));
    List<TrialView> trials = pendings(2);
    trials.set(0, running(0, 1));
    assertThat(
            new TrialPlanner(p).plan(new Observation(T0.plusSeconds(1799), T0, trials)).actions())
        .isEmpty();
    Plan plan = new TrialPlanner(p).plan(new Observation(T0.plusSeconds(1800), T0, trials));
    assertThat(plan.all(Stop.class)).extracting(Stop::trialIndex).containsExactly(0);
    assertThat(plan.all(Skip.class)).extracting(Skip::trialIndex).containsExactly(1);
    assertThat(plan.finish())
        .get()
        .extracting(Finish::reason)
        .isEqualTo(EventReason.DEADLINE_EXCEEDED);
  }

  @Test
  void resumeRelaunchesLostAndInterruptedTrialsFirstWithANewAttempt() {
    List<TrialView> trials = pendings(5);
    trials.set(0, done(0, TrialState.SUCCEEDED, 1, 0, 0.8));
    trials.set(1, new TrialView(1, 1, TrialState.RUNNING, 1, 0, false, null, List.of()));
    trials.set(2, done(2, TrialState.STOPPED, 2, 0, null));
    trials.set(3, done(3, TrialState.FAILED, 1, 1, null));
    Plan plan = new TrialPlanner(policy(5, 3)).plan(at(trials));
    assertThat(plan.all(Launch.class))
        .extracting(Launch::trialIndex, Launch::attempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 2),
            org.assertj.core.groups.Tuple.tuple(2, 3),
            org.assertj.core.groups.Tuple.tuple(3, 2));
    assertThat(plan.actions()).noneMatch(a -> a instanceof Launch l && l.trialIndex() == 0);
  }

  @Test
  void finishesWhenEveryTrialIsDoneOrSkipped() {
    List<TrialView> trials =
        List.of(
            done(0, TrialState.SUCCEEDED, 1, 0, 0.8),
            done(1, TrialState.SKIPPED, 0, 0, null),
            done(2, TrialState.EARLY_STOPPED, 1, 0, 0.4),
            done(3, TrialState.DIVERGED, 1, 1, null));
    Plan plan = new TrialPlanner(policy(4, 2)).plan(at(trials));
    assertThat(plan.actions())
        .containsExactly(new Finish(false, EventReason.ALL_TRIALS_FINISHED, "3 trials finished"));
  }

  @Test
  void earlyStoppedTrialsFreeTheirSlot() {
    PlannerPolicy p =
        new PlannerPolicy(
            1,
            5,
            5,
            null,
            MAX,
            new SweepDefinition.EarlyStopping(StoppingRule.MEDIAN, 1, 3, 1, true),
            1,
            5,
            List.of(0, 1, 2));
    List<TrialView> trials = new ArrayList<>();
    trials.add(
        new TrialView(
            0,
            0,
            TrialState.SUCCEEDED,
            1,
            0,
            false,
            0.9,
            List.of(new EpochValue(1, 0.9, 1), new EpochValue(2, 0.9, 2))));
    trials.add(
        new TrialView(
            1, 1, TrialState.RUNNING, 1, 0, true, null, List.of(new EpochValue(1, 0.2, 3))));
    trials.add(pending(2));
    Plan plan = new TrialPlanner(p).plan(at(trials));
    assertThat(plan.all(Stop.class))
        .singleElement()
        .satisfies(s -> assertThat(s.outcome()).isEqualTo(TrialState.EARLY_STOPPED));
    assertThat(plan.all(Launch.class)).containsExactly(new Launch(2, 1, null));
  }

  @Test
  void theSameObservationGivesTheSamePlan() {
    List<TrialView> trials = pendings(6);
    trials.set(2, done(2, TrialState.FAILED, 1, 1, null));
    Observation o = at(trials);
    TrialPlanner planner = new TrialPlanner(policy(6, 3));
    assertThat(planner.plan(o)).isEqualTo(planner.plan(o));
  }
}
