package dev.dkssweep.sweep.planning;

import java.util.List;

/**
 * A cell's objective over its seeds: mean, sample standard deviation (n - 1; 0 for one seed) and n,
 * over the trials that finished with a value; {@code diverged} and {@code failed} count the others.
 */
public record SeedAggregate(
    int cellIndex, double mean, double std, int n, int diverged, int failed) {

  public static SeedAggregate of(int cellIndex, List<Double> values, int diverged, int failed) {
    Fold f = new Fold();
    values.forEach(f::add);
    return f.aggregate(cellIndex, diverged, failed);
  }

  /**
   * Seeds' values folded one at a time (Welford: stable for values that are close together,
   * accuracies near 1), for callers that gather many cells in one pass.
   */
  public static final class Fold {
    private double mean;
    private double m2;
    private int n;

    public void add(double x) {
      n++;
      double d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
    }

    /** The values folded so far. */
    public int n() {
      return n;
    }

    /** Their mean (NaN when there are none). */
    public double mean() {
      return n == 0 ? Double.NaN : mean;
    }

    public SeedAggregate aggregate(int cellIndex, int diverged, int failed) {
      if (n == 0) {
        return new SeedAggregate(cellIndex, Double.NaN, Double.NaN, 0, diverged, failed);
      }
      return new SeedAggregate(
          cellIndex, mean, n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, n, diverged, failed);
    }
  }

  /** {@code 0.8712 ± 0.0031 (n=3)}, or the count of diverged/failed seeds when none finished. */
  public String format() {
    String extra =
        (diverged > 0 ? ", " + diverged + " diverged" : "")
            + (failed > 0 ? ", " + failed + " failed" : "");
    if (n == 0) {
      return "-" + (extra.isEmpty() ? "" : " (" + extra.substring(2) + ")");
    }
    return String.format("%.4f ± %.4f (n=%d%s)", mean, std, n, extra);
  }
}
