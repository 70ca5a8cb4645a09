package dev.dkssweep.dks.solve;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.random.MersenneTwister;

/**
 * The reference's starting points (docs/maths.md 5.4): the Cartesian product of fixed values per
 * unknown, in parameter order, then uniform random points up to {@code total}, drawn from MT19937
 * seeded with 123 (numpy's legacy {@code RandomState(123).random_sample}) at every solve.
 */
public final class StartPoints {

  /** The fixed values and random range of one kind of unknown. */
  public enum Unknown {
    INPUT_SCALE(new double[] {1.0, 0.1}, 0, 2),
    INPUT_SHIFT(new double[] {0.0, 1.0, -1.0}, -3, 3),
    OUTPUT_SHIFT(new double[] {0.0, 1.0, -1.0}, -3, 3),
    NEGATIVE_SLOPE(new double[] {0.0, 0.5}, 0, 1);

    private final double[] grid;
    private final double low;
    private final double high;

    Unknown(double[] grid, double low, double high) {
      this.grid = grid;
      this.low = low;
      this.high = high;
    }
  }

  public static final int REFERENCE_TOTAL = 50;
  public static final int REFERENCE_SEED = 123;

  private StartPoints() {}

  public static List<double[]> of(List<Unknown> unknowns, int total, int seed) {
    List<double[]> points = new ArrayList<>();
    grid(unknowns, 0, new double[unknowns.size()], points);
    MersenneTwister mt = new MersenneTwister(seed);
    while (points.size() < total) {
      double[] p = new double[unknowns.size()];
      for (int i = 0; i < p.length; i++) {
        Unknown u = unknowns.get(i);
        p[i] = u.low + (u.high - u.low) * numpyDouble(mt);
      }
      points.add(p);
    }
    return points.size() > total ? points.subList(0, total) : points;
  }

  /** The number of fixed grid points for these unknowns. */
  public static int gridSize(List<Unknown> unknowns) {
    int size = 1;
    for (Unknown u : unknowns) {
      size *= u.grid.length;
    }
    return size;
  }

  private static void grid(List<Unknown> unknowns, int depth, double[] prefix, List<double[]> out) {
    if (depth == unknowns.size()) {
      out.add(prefix.clone());
      return;
    }
    for (double v : unknowns.get(depth).grid) {
      prefix[depth] = v;
      grid(unknowns, depth + 1, prefix, out);
    }
  }

  /** numpy's random_sample: (a >> 5) * 2^26 + (b >> 6), over 2^53. */
  static double numpyDouble(MersenneTwister mt) {
    long a = Integer.toUnsignedLong(mt.nextInt()) >>> 5;
    long b = Integer.toUnsignedLong(mt.nextInt()) >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
}
