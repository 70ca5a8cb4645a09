package dev.dkssweep.sweep.model;

import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Expands a {@link SweepDefinition}'s space into cells, deterministically: the grid in a fixed
 * nesting order (dataset, activation, depth, arm, width, learning rate), or a seeded random sample.
 * Excluded cells are left out; indices are dense from 0.
 */
public final class CellExpander {

  private CellExpander() {}

  /** The number of grid cells before exclusions (saturating at Long.MAX_VALUE). */
  public static long gridProduct(SweepDefinition s) {
    SweepDefinition.SearchSpace sp = s.space();
    long[] sizes = {
      sp.datasets().size(),
      sp.activations().size(),
      sp.depths().size(),
      s.arms().size(),
      sp.widths().size(),
      sp.learningRates().values().size()
    };
    long p = 1;
    for (long n : sizes) {
      if (n != 0 && p > Long.MAX_VALUE / n) {
        return Long.MAX_VALUE;
      }
      p *= n;
    }
    return p;
  }

  /** The cells of a definition. */
  public static List<Cell> expand(SweepDefinition s) {
    return s.strategy().type() == StrategyType.RANDOM ? random(s) : grid(s);
  }

  private static List<Cell> grid(SweepDefinition s) {
    SweepDefinition.SearchSpace sp = s.space();
    List<Double> rates = sp.learningRates().values();
    List<Cell> cells = new ArrayList<>();
    for (String dataset : sp.datasets()) {
      for (String activation : sp.activations()) {
        for (int depth : sp.depths()) {
          for (String arm : s.arms()) {
            for (int width : sp.widths()) {
              for (double lr : rates) {
                Cell c = cell(s, cells.size(), arm, activation, depth, width, lr, dataset);
                if (!excluded(s, c)) {
                  cells.add(c);
                }
              }
            }
          }
        }
      }
    }
    return List.copyOf(cells);
  }

  private static List<Cell> random(SweepDefinition s) {
    SweepDefinition.SearchSpace sp = s.space();
    SplittableRandom rng = new SplittableRandom(s.strategy().seed());
    List<Double> rates = sp.learningRates().values();
    SweepDefinition.LearningRates.LogRange range =
        sp.learningRates() instanceof SweepDefinition.LearningRates.LogRange r ? r : null;
    List<String> arms = s.arms();
    int samples = s.strategy().samples().orElseThrow();
    List<Cell> cells = new ArrayList<>();
    Set<List<Object>> seen = new HashSet<>();
    for (long tries = 0; cells.size() < samples && tries < 100L * samples; tries++) {
      String dataset = pick(rng, sp.datasets());
      String activation = pick(rng, sp.activations());
      int depth = pick(rng, sp.depths());
      String arm = pick(rng, arms);
      int width = pick(rng, sp.widths());
      double lr =
          range == null || range.count() == 1
              ? pick(rng, rates)
              : new BigDecimal(
                      Math.exp(
                          Math.log(range.min())
                              + rng.nextDouble() * Math.log(range.max() / range.min())))
                  .round(new MathContext(6))
                  .doubleValue();
      Cell c = cell(s, cells.size(), arm, activation, depth, width, lr, dataset);
      if (!excluded(s, c) && seen.add(List.of(dataset, activation, depth, arm, width, lr))) {
        cells.add(c);
      }
    }
    return List.copyOf(cells);
  }

  private static <T> T pick(SplittableRandom rng, List<T> values) {
    return values.get(rng.nextInt(values.size()));
  }

  private static boolean excluded(SweepDefinition s, Cell c) {
    return s.space().exclusions().stream().anyMatch(c::matches);
  }

  private static Cell cell(
      SweepDefinition s,
      int index,
      String arm,
      String activation,
      int depth,
      int width,
      double lr,
      String dataset) {
    boolean baseline = SweepDefinition.RESNET_BN.equals(arm);
    return new Cell(
        index,
        arm,
        baseline ? Method.STANDARD : Method.of(arm),
        baseline ? Architecture.RESNET_BN : s.architecture(),
        activation,
        depth,
        width,
        lr,
        dataset);
  }
}
