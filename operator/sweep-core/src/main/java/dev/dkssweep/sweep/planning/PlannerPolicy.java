package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.model.Durations;
import dev.dkssweep.sweep.model.SweepSpec;
import java.time.Duration;
import java.util.List;

/**
 * The rules the planner applies, taken from a resolved spec.
 *
 * @param maxTrials launches allowed (retries and relaunches not counted)
 * @param maxFailedTrials the sweep fails when more trials than this failed for good
 * @param deadline null for none
 * @param launchOrder trial indices in the order pending trials start
 */
public record PlannerPolicy(
    int parallelism,
    int maxTrials,
    int maxFailedTrials,
    Duration deadline,
    SweepSpec.Objective objective,
    SweepSpec.EarlyStopping earlyStopping,
    int maxRetries,
    int epochs,
    List<Integer> launchOrder) {

  public PlannerPolicy {
    launchOrder = List.copyOf(launchOrder);
  }

  /**
   * The policy of a resolved spec; {@code maxFailedTrials} defaults to half the trials (rounded
   * up), so a broken trainer fails the sweep early instead of burning the whole budget.
   */
  public static PlannerPolicy of(SweepSpec spec, List<Integer> launchOrder) {
    int trials = launchOrder.size();
    SweepSpec.Budget b = spec.budget();
    return new PlannerPolicy(
        spec.parallelism(),
        b.maxTrials() == null ? trials : b.maxTrials(),
        b.maxFailedTrials() == null ? (trials + 1) / 2 : b.maxFailedTrials(),
        b.deadline() == null ? null : Durations.parse(b.deadline()),
        spec.objective(),
        spec.earlyStopping(),
        spec.retry().maxRetries(),
        spec.space().epochs(),
        launchOrder);
  }
}
