package dev.dkssweep.dks.activation;

/**
 * Leaky ReLU with negative slope {@code a}: x for x >= 0, a*x otherwise. DKS and TAT solve for the
 * slope; untransformed it defaults to {@link #DEFAULT_NEGATIVE_SLOPE}.
 */
public record LeakyRelu(double negativeSlope) implements Activation {

  /** The slope used when the activation is not transformed (as in DL4J and the reference). */
  public static final double DEFAULT_NEGATIVE_SLOPE = 0.01;

  public LeakyRelu {
    if (!Double.isFinite(negativeSlope)) {
      throw new IllegalArgumentException("negativeSlope must be finite, got " + negativeSlope);
    }
  }

  @Override
  public String id() {
    return "leaky_relu";
  }

  @Override
  public double value(double x) {
    return x >= 0 ? x : negativeSlope * x;
  }

  @Override
  public double d1(double x) {
    return x >= 0 ? 1 : negativeSlope;
  }

  @Override
  public double d2(double x) {
    return 0;
  }

  @Override
  public boolean tameTails() {
    return true;
  }

  @Override
  public double[] kinks() {
    return new double[] {0};
  }

  @Override
  public boolean firstDerivativeJumps() {
    return negativeSlope != 1;
  }

  @Override
  public void evaluate(double[] x, int n, double[] v, double[] d1, double[] d2) {
    for (int i = 0; i < n; i++) {
      boolean positive = x[i] >= 0;
      v[i] = positive ? x[i] : negativeSlope * x[i];
      d1[i] = positive ? 1 : negativeSlope;
      d2[i] = 0;
    }
  }
}
