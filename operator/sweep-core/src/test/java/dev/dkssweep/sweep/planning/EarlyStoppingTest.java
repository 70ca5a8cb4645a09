package dev.dkssweep.sweep.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.SweepDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  static PlannerPolicy policy(
      StoppingRule rule, Goal goal, int grace, int rf, int minTrials, int epochs) {
    return new PlannerPolicy(
        4,
        100,
        100,
        null,
        new SweepDefinition.Objective(
            goal == Goal.MAXIMIZE ? "val_accuracy" : "val_loss",
            goal,
            Reduce.LAST,
            OptionalDouble.empty()),
        new SweepDefinition.EarlyStopping(rule, grace, rf, minTrials, true),
        1,
        epochs,
        List.of());
  }

  /** A trial with one value per epoch, reported at time = 10 * epoch + offset. */
  static TrialView trial(int index, TrialState state, long offset, double... values) {
    List<EpochValue> h = new ArrayList<>();
    for (int e = 1; e <= values.length; e++) {
      h.add(new EpochValue(e, values[e - 1], 10L * e + offset));
    }
    return new TrialView(index, index, state, 1, 0, state == TrialState.RUNNING, null, h);
  }

  @Test
  void medianStopsATrialWorseThanTheMedianOfRunningAverages() {
    PlannerPolicy p = policy(StoppingRule.MEDIAN, Goal.MAXIMIZE, 2, 3, 3, 10);
    List<TrialView> all =
        List.of(
            trial(0, TrialState.SUCCEEDED, 0, 0.5, 0.7, 0.8), // average to epoch 2: 0.6
            trial(1, TrialState.SUCCEEDED, 0, 0.6, 0.8, 0.9), // 0.7
            trial(2, TrialState.RUNNING, 0, 0.4, 0.6), // 0.5
            trial(3, TrialState.RUNNING, 0, 0.3, 0.59));
    // median of the others' averages (0.6, 0.7, 0.5) is 0.6; trial 3's best 0.59 is worse
    assertThat(EarlyStopping.decide(all.get(3), all, p))
        .get()
        .asString()
        .contains("median rule at epoch 2");
    // trial 2: others (0.6, 0.7, and trial 3's 0.445) -> median 0.6; best 0.6 is not worse
    assertThat(EarlyStopping.decide(all.get(2), all, p)).isEmpty();
  }

  @Test
  void medianWaitsForTheGracePeriodAndEnoughTrials() {
    PlannerPolicy p = policy(StoppingRule.MEDIAN, Goal.MAXIMIZE, 2, 3, 3, 10);
    List<TrialView> early =
        List.of(
            trial(0, TrialState.SUCCEEDED, 0, 0.9, 0.9),
            trial(1, TrialState.SUCCEEDED, 0, 0.9, 0.9),
            trial(2, TrialState.SUCCEEDED, 0, 0.9, 0.9),
            trial(3, TrialState.RUNNING, 0, 0.1));
    assertThat(EarlyStopping.decide(early.get(3), early, p)).isEmpty();
    List<TrialView> few =
        List.of(
            trial(0, TrialState.SUCCEEDED, 0, 0.9, 0.9),
            trial(1, TrialState.SUCCEEDED, 0, 0.9, 0.9),
            trial(2, TrialState.SKIPPED, 0, 0.9, 0.9),
            trial(3, TrialState.RUNNING, 0, 0.1, 0.1));
    assertThat(EarlyStopping.decide(few.get(3), few, p)).isEmpty();
  }

  @Test
  void medianMinimisesLosses() {
    PlannerPolicy p = policy(StoppingRule.MEDIAN, Goal.MINIMIZE, 1, 3, 2, 10);
    List<TrialView> all =
        List.of(
            trial(0, TrialState.SUCCEEDED, 0, 0.5),
            trial(1, TrialState.SUCCEEDED, 0, 0.7),
            trial(2, TrialState.RUNNING, 0, 0.65),
            trial(3, TrialState.RUNNING, 0, 0.55));
    // others of trial 2: 0.5, 0.7, 0.55 -> median 0.55 < 0.65: stop
    assertThat(EarlyStopping.decide(all.get(2), all, p)).isPresent();
    // others of trial 3: 0.5, 0.7, 0.65 -> median 0.65 > 0.55: continue
    assertThat(EarlyStopping.decide(all.get(3), all, p)).isEmpty();
  }

  @Test
  void ashaPromotesTheFirstArrivalAndStopsLaterOnesOutsideTheTopFraction() {
    // rungs at epochs 1, 3 (rf 3, grace 1, 9 epochs)
    PlannerPolicy p = policy(StoppingRule.ASHA, Goal.MAXIMIZE, 1, 3, 1, 9);
    TrialView first = trial(0, TrialState.RUNNING, 0, 0.1);
    assertThat(EarlyStopping.decide(first, List.of(first), p)).isEmpty();
    TrialView a = trial(0, TrialState.SUCCEEDED, 0, 0.5, 0.6, 0.7, 0.8);
    TrialView b = trial(1, TrialState.SUCCEEDED, 1, 0.6, 0.7, 0.8, 0.9);
    TrialView c = trial(2, TrialState.RUNNING, 2, 0.55);
    TrialView d = trial(3, TrialState.RUNNING, 3, 0.61);
    List<TrialView> all = List.of(a, b, c, d);
    // c at rung 1: recorded before it 0.5, 0.6 -> 2/3 quantile 0.5667 > 0.55: stop
    assertThat(EarlyStopping.decide(c, all, p)).get().asString().contains("ASHA rung at epoch 1");
    // d at rung 1: recorded before it 0.5, 0.6, 0.55 -> quantile 0.5667 < 0.61: continue
    assertThat(EarlyStopping.decide(d, all, p)).isEmpty();
  }

  @Test
  void ashaDecisionsDoNotChangeWhenLaterTrialsArrive() {
    PlannerPolicy p = policy(StoppingRule.ASHA, Goal.MAXIMIZE, 1, 2, 1, 8);
    TrialView a = trial(0, TrialState.RUNNING, 0, 0.5, 0.6);
    TrialView laterBetter = trial(1, TrialState.RUNNING, 5, 0.9, 0.95);
    assertThat(EarlyStopping.decide(a, List.of(a, laterBetter), p)).isEmpty();
  }

  @Test
  void ashaChecksHigherRungsAndMinimises() {
    // rungs 1, 2, 4 (rf 2, 8 epochs); loss: lower is better
    PlannerPolicy p = policy(StoppingRule.ASHA, Goal.MINIMIZE, 1, 2, 1, 8);
    TrialView a = trial(0, TrialState.SUCCEEDED, 0, 1.0, 0.5, 0.4, 0.3);
    TrialView b = trial(1, TrialState.RUNNING, 1, 0.9, 0.6);
    // rung 1: 0.9 vs {1.0}: better, continue; rung 2: 0.6 vs {0.5}: median 0.5, worse: stop
    assertThat(EarlyStopping.decide(b, List.of(a, b), p))
        .get()
        .asString()
        .contains("rung at epoch 2");
  }

  @Test
  void quantileInterpolatesLikeNumpy() {
    assertThat(EarlyStopping.quantile(List.of(3.0, 1.0, 2.0), 0.5)).isEqualTo(2.0);
    assertThat(EarlyStopping.quantile(List.of(1.0, 2.0), 0.5)).isEqualTo(1.5);
    assertThat(EarlyStopping.quantile(List.of(0.5, 0.6), 2.0 / 3))
        .isEqualTo(0.5666666666666667, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(EarlyStopping.quantile(List.of(7.0), 0.9)).isEqualTo(7.0);
  }
}
