package dev.dkssweep.dks.init;

import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;

/**
 * The "standard" baseline: i.i.d. N(0, gain^2 / fanIn) weights, LeCun (gain 1) or He (gain sqrt 2).
 * {@code receptiveField} is kernel height x width for convolutions (1 for dense), so fan-in is
 * receptiveField x fanIn. Shape [receptiveField * fanIn, fanOut].
 */
public record ScaledGaussian(int fanIn, int fanOut, int receptiveField, double gain, long seed)
    implements WeightInitPlan {

  public static final double LECUN = 1;
  public static final double HE = Math.sqrt(2);

  public ScaledGaussian {
    if (fanIn < 1 || fanOut < 1 || receptiveField < 1) {
      throw new IllegalArgumentException("fanIn, fanOut and receptiveField must be >= 1");
    }
    if (!(gain > 0)) {
      throw new IllegalArgumentException("gain must be > 0, got " + gain);
    }
  }

  public double standardDeviation() {
    return gain / Math.sqrt((double) fanIn * receptiveField);
  }

  @Override
  public int[] shape() {
    return new int[] {receptiveField * fanIn, fanOut};
  }

  @Override
  public double[] sample() {
    RandomGenerator rng = new Well19937c(seed);
    double sd = standardDeviation();
    double[] w = new double[receptiveField * fanIn * fanOut];
    for (int i = 0; i < w.length; i++) {
      w[i] = sd * rng.nextGaussian();
    }
    return w;
  }
}
