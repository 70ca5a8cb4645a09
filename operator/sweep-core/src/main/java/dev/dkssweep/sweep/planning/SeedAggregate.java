package dev.dkssweep.sweep.planning;

import java.util.List;

/**
 * A cell's objective over its seeds: mean, sample standard deviation (n - 1; 0 for one seed) and n,
 * over the trials that finished with a value; {@code diverged} and {@code failed} count the others.
 */
public record SeedAggregate(
    int cellIndex, double mean, double std, int n, int diverged, int failed) {

  public static SeedAggregate of(int cellIndex, List<Double> values, int diverged, int failed) {
    int n = values.size();
    if (n == 0) {
      return new SeedAggregate(cellIndex, Double.NaN, Double.NaN, 0, diverged, failed);
    }
    // Welford: stable for values that are close together (accuracies near 1)
    double mean = 0;
    double m2 = 0;
    int k = 0;
    for (double x : values) {
      k++;
      double d = x - mean;
      mean += d / k;
      m2 += d * (x - mean);
    }
    return new SeedAggregate(
        cellIndex, mean, n > 1 ? Math.sqrt(m2 / (n - 1)) : 0, n, diverged, failed);
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
