package dev.dkssweep.dks.quadrature;

import java.util.function.DoubleUnaryOperator;

/**
 * Gaussian expectations E[g(alpha z + beta)], z ~ N(0, 1), for integrands built from an activation
 * with known kinks (docs/maths.md 5.1).
 *
 * <p>Two implementations: {@link #accurate()}, which splits the range at the kinks of the
 * transformed argument and integrates each piece with composite Gauss-Legendre (error below 1e-12
 * on smooth integrands), and {@link #reference()}, which reproduces the reference implementation's
 * 100000-node Gauss-Legendre rule on [-10, 10] (needed to match its parameters for kinked
 * activations, whose quadrature error is about 1e-4).
 */
public interface GaussianQuadrature {

  /**
   * A rule for integrands of the form h(z) = G(alpha z + beta, z) where G is smooth in its first
   * argument except at {@code kinks}.
   */
  GaussianRule rule(double alpha, double beta, double[] kinks);

  /**
   * As {@link #rule(double, double, double[])}; with {@code tameTails} (see {@link
   * dev.dkssweep.dks.activation.Activation#tameTails()}) panels may widen with |alpha z + beta|.
   */
  default GaussianRule rule(double alpha, double beta, double[] kinks, boolean tameTails) {
    return rule(alpha, beta, kinks);
  }

  /** A short name for reports: {@code accurate} or {@code reference}. */
  String id();

  /**
   * A rule set with panels {@code factor} times narrower, for oscillating integrands such as
   * high-order Hermite coefficients. The fixed reference rule returns itself.
   */
  default GaussianQuadrature refined(int factor) {
    return this;
  }

  /** E[g(z)] for a smooth g. */
  default double expectation(DoubleUnaryOperator g) {
    return rule(1, 0, new double[0]).expectation(g);
  }

  /** The default: kink-aware composite Gauss-Legendre on [-12, 12]. */
  static GaussianQuadrature accurate() {
    return new CompositeLegendreQuadrature();
  }

  /** The reference's 100000-node Gauss-Legendre rule on [-10, 10], computed once per instance. */
  static GaussianQuadrature reference() {
    return new ReferenceLegendreQuadrature();
  }

  /** {@code accurate} or {@code reference}. */
  static GaussianQuadrature byName(String name) {
    return switch (name) {
      case "accurate" -> accurate();
      case "reference" -> reference();
      default ->
          throw new IllegalArgumentException(
              "quadrature: unknown mode '" + name + "'; use accurate or reference");
    };
  }
}
