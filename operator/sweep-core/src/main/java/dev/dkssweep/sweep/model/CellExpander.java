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
 * Expands a resolved {@link SweepSpec}'s space into cells, deterministically: the grid in a fixed
 * nesting order (dataset, activation, depth, arm, width, learning rate), or a seeded random sample.
 * Excluded cells are left out; indices are dense from 0.
 */
public final class CellExpander {

  private CellExpander() {}

  /** The learning rates of the axis; log ranges rounded to 12 significant digits. */
  public static List<Double> learningRates(SweepSpec.LearningRates lr) {
    if (lr.values() != null) {
      return List.copyOf(lr.values());
    }
    SweepSpec.LearningRates.LogRange r = lr.logRange();
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < r.count(); i++) {
      double t = r.count() == 1 ? 0 : (double) i / (r.count() - 1);
      double x = r.min() * Math.pow(r.max() / r.min(), t);
      rates.add(new BigDecimal(x).round(new MathContext(12)).doubleValue());
    }
    return rates;
  }

  /** The number of grid cells before exclusions (saturating at Long.MAX_VALUE). */
  public static long gridProduct(SweepSpec s) {
    SweepSpec.SearchSpace sp = s.space();
    long[] sizes = {
      sp.dataset().size(),
      sp.activation().size(),
      sp.depth().size(),
      s.arms().size(),
      sp.width().size(),
      learningRates(sp.learningRate()).size()
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

  /** The cells of a resolved spec. */
  public static List<Cell> expand(SweepSpec s) {
    return s.strategy().type() == StrategyType.RANDOM ? random(s) : grid(s);
  }

  private static List<Cell> grid(SweepSpec s) {
    SweepSpec.SearchSpace sp = s.space();
    List<Double> rates = learningRates(sp.learningRate());
    List<Cell> cells = new ArrayList<>();
    for (String dataset : sp.dataset()) {
      for (String activation : sp.activation()) {
        for (int depth : sp.depth()) {
          for (String arm : s.arms()) {
            for (int width : sp.width()) {
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

  private static List<Cell> random(SweepSpec s) {
    SweepSpec.SearchSpace sp = s.space();
    SplittableRandom rng = new SplittableRandom(s.strategy().seed());
    List<Double> rates = learningRates(sp.learningRate());
    SweepSpec.LearningRates.LogRange range = sp.learningRate().logRange();
    List<String> arms = s.arms();
    int samples = s.strategy().samples();
    List<Cell> cells = new ArrayList<>();
    Set<List<Object>> seen = new HashSet<>();
    for (long tries = 0; cells.size() < samples && tries < 100L * samples; tries++) {
      String dataset = pick(rng, sp.dataset());
      String activation = pick(rng, sp.activation());
      int depth = pick(rng, sp.depth());
      String arm = pick(rng, arms);
      int width = pick(rng, sp.width());
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

  private static boolean excluded(SweepSpec s, Cell c) {
    return s.space().exclude().stream().anyMatch(c::matches);
  }

  private static Cell cell(
      SweepSpec s,
      int index,
      String arm,
      String activation,
      int depth,
      int width,
      double lr,
      String dataset) {
    boolean baseline = SweepSpec.RESNET_BN.equals(arm);
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
