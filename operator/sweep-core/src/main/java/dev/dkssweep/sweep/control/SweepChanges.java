package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a running sweep's spec may become: a later generation may add cells and seeds and change how
 * it runs (parallelism, budget, early stopping, retries, launch order, trainer), but not what its
 * results mean: the objective, the architecture, the method parameters, the training, the epochs
 * and the sampling stay, and every recorded cell stays in the space. The same rules are the custom
 * resource's transition rules; this is their home for every driver.
 */
public final class SweepChanges {

  private SweepChanges() {}

  /** Every reason {@code next} cannot follow {@code current}; empty when it can. */
  public static List<SpecViolation> check(SweepDefinition current, SweepDefinition next) {
    List<SpecViolation> v = new ArrayList<>();
    same(v, "objective", current.objective(), next.objective());
    same(v, "architecture", current.architecture(), next.architecture());
    same(v, "methodParams", current.methodParams(), next.methodParams());
    same(v, "training", current.training(), next.training());
    same(v, "space.epochs", current.space().epochs(), next.space().epochs());
    same(v, "strategy.type", current.strategy().type(), next.strategy().type());
    same(v, "strategy.samples", current.strategy().samples(), next.strategy().samples());
    same(v, "strategy.seed", current.strategy().seed(), next.strategy().seed());
    if (next.space().seeds() < current.space().seeds()) {
      v.add(
          new SpecViolation(
              "space.seeds",
              "may only grow, from " + current.space().seeds() + ", got " + next.space().seeds()));
    }
    Set<Cell.Point> after =
        CellExpander.expand(next).stream().map(Cell::point).collect(Collectors.toSet());
    List<Cell> dropped =
        CellExpander.expand(current).stream().filter(c -> !after.contains(c.point())).toList();
    if (!dropped.isEmpty()) {
      v.add(
          new SpecViolation(
              "space",
              "leaves out "
                  + dropped.size()
                  + (dropped.size() == 1 ? " cell" : " cells")
                  + " of the running sweep (e.g. "
                  + dropped.get(0).label()
                  + "); axes may only grow and exclusions may not cover recorded cells"));
    }
    return v;
  }

  private static void same(List<SpecViolation> v, String field, Object was, Object now) {
    if (!Objects.equals(was, now)) {
      v.add(
          new SpecViolation(
              field,
              "cannot change once the sweep has started (was " + was + ", got " + now + ")"));
    }
  }
}
