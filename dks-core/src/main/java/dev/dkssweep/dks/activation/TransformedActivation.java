package dev.dkssweep.dks.activation;

import java.util.Objects;

/**
 * phi_hat(x) = gamma * (phi(alpha * x + beta) + delta), docs/maths.md (1.1) and 2.2.
 *
 * <p>For Leaky ReLU the negative slope is part of {@code base} ({@link LeakyRelu}). Derivatives
 * follow the chain rule: phi_hat' = gamma alpha phi'(alpha x + beta), phi_hat'' = gamma alpha^2
 * phi''(alpha x + beta).
 */
public record TransformedActivation(
    Activation base, double alpha, double beta, double gamma, double delta) {

  public TransformedActivation {
    Objects.requireNonNull(base, "base");
  }

  /** The untransformed activation (alpha = gamma = 1, beta = delta = 0). */
  public static TransformedActivation identity(Activation base) {
    return new TransformedActivation(base, 1, 0, 1, 0);
  }

  /** The negative slope for Leaky ReLU, NaN for every other activation. */
  public double negativeSlope() {
    return base instanceof LeakyRelu l ? l.negativeSlope() : Double.NaN;
  }

  /**
   * The equivalent parameters with alpha >= 0 (symmetry S1 of section 2.3: z and -z have the same
   * law, so every Q/C map and every condition is unchanged).
   */
  public TransformedActivation canonical() {
    return alpha < 0 ? mirrored() : this;
  }

  /** The same parameters with -alpha: the S1 mirror, with the same Q/C maps. */
  public TransformedActivation mirrored() {
    return new TransformedActivation(base, -alpha, beta, gamma, delta);
  }

  public double value(double x) {
    return gamma * (base.value(alpha * x + beta) + delta);
  }

  public double d1(double x) {
    return gamma * alpha * base.d1(alpha * x + beta);
  }

  public double d2(double x) {
    return gamma * alpha * alpha * base.d2(alpha * x + beta);
  }
}
