package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.model.SweepDefinition;
import java.time.Duration;
import java.util.List;

/**
 * The rules the planner applies, taken from a sweep's definition.
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
    SweepDefinition.Objective objective,
    SweepDefinition.EarlyStopping earlyStopping,
    int maxRetries,
    int epochs,
    List<Integer> launchOrder) {

  public PlannerPolicy {
    launchOrder = List.copyOf(launchOrder);
  }

  /**
   * The policy of a definition; {@code maxFailedTrials} defaults to half the trials (rounded up),
   * so a broken trainer fails the sweep early instead of burning the whole budget.
   */
  public static PlannerPolicy of(SweepDefinition spec, List<Integer> launchOrder) {
    int trials = launchOrder.size();
    SweepDefinition.Budget b = spec.budget();
    return new PlannerPolicy(
        spec.parallelism(),
        b.maxTrials().orElse(trials),
        b.maxFailedTrials().orElse((trials + 1) / 2),
        b.deadline().orElse(null),
        spec.objective(),
        spec.earlyStopping(),
        spec.maxRetries(),
        spec.space().epochs(),
        launchOrder);
  }
}
