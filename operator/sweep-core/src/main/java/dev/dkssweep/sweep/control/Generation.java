package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.PlannerPolicy;
import dev.dkssweep.sweep.planning.Preflight;
import java.util.List;
import java.util.OptionalInt;

/**
 * One accepted generation of a sweep, as the round runs it: its definition, where its cells and
 * trials sit, each cell's preflight and the launch order. Built once per generation and process.
 *
 * @param preflight by cell index
 */
public record Generation(
    long number,
    SweepDefinition definition,
    TrialLayout layout,
    List<Preflight.CellResult> preflight,
    List<Integer> launchOrder) {

  public Generation {
    preflight = List.copyOf(preflight);
    launchOrder = List.copyOf(launchOrder);
  }

  /** Every cell, by index. */
  public List<Cell> cells() {
    return layout.cells();
  }

  /** The planner's rules, with a driver's parallelism if it gives one. */
  public PlannerPolicy policy(OptionalInt parallelism) {
    SweepDefinition d = definition;
    if (parallelism.isPresent()) {
      d = d.withParallelism(parallelism.getAsInt());
    }
    return PlannerPolicy.of(d, launchOrder);
  }

  /** Cells the preflight could not shape. */
  public long infeasibleCells() {
    return preflight.stream().filter(r -> !r.feasible()).count();
  }
}
