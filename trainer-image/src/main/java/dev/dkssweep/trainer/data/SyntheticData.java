package dev.dkssweep.trainer.data;

import java.util.SplittableRandom;

/**
 * Built-in data sets that need no files, generated from a seed.
 *
 * <ul>
 *   <li>{@code synthetic-teacher}: x ~ N(0, I) in 64 dimensions, labelled by the arg-max of a
 *       random two-layer tanh teacher network over 10 classes;
 *   <li>{@code synthetic-clusters}: 10 Gaussian clusters in 64 dimensions with centres of norm ~4
 *       and unit noise.
 * </ul>
 */
public final class SyntheticData {

  public static final int FEATURES = 64;
  public static final int CLASSES = 10;
  private static final int HIDDEN = 32;

  private SyntheticData() {}

  public static Examples teacher(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] w1 = gaussian(rng, HIDDEN * FEATURES, 1 / Math.sqrt(FEATURES) * 2);
    double[] w2 = gaussian(rng, CLASSES * HIDDEN, 1 / Math.sqrt(HIDDEN) * 2);
    float[] x = new float[n * FEATURES];
    int[] y = new int[n];
    double[] h = new double[HIDDEN];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < FEATURES; f++) {
        x[i * FEATURES + f] = (float) rng.nextGaussian();
      }
      for (int j = 0; j < HIDDEN; j++) {
        double s = 0;
        for (int f = 0; f < FEATURES; f++) {
          s += w1[j * FEATURES + f] * x[i * FEATURES + f];
        }
        h[j] = Math.tanh(s);
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) {
        double s = 0;
        for (int j = 0; j < HIDDEN; j++) {
          s += w2[c * HIDDEN + j] * h[j];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      y[i] = best;
    }
    return new Examples(x, y, FEATURES, CLASSES);
  }

  public static Examples clusters(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] centres = gaussian(rng, CLASSES * FEATURES, 4 / Math.sqrt(FEATURES));
    float[] x = new float[n * FEATURES];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = rng.nextInt(CLASSES);
      y[i] = c;
      for (int f = 0; f < FEATURES; f++) {
        x[i * FEATURES + f] = (float) (centres[c * FEATURES + f] + rng.nextGaussian());
      }
    }
    return new Examples(x, y, FEATURES, CLASSES);
  }

  private static double[] gaussian(SplittableRandom rng, int n, double sd) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = sd * rng.nextGaussian();
    }
    return v;
  }
}
