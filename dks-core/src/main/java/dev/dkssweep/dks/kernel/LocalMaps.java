package dev.dkssweep.dks.kernel;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.quadrature.GaussianRule;

/**
 * Local Q and C maps of a transformed activation f = phi_hat (docs/maths.md 2.1):
 *
 * <pre>
 *   Q(q) = E[f(sqrt(q) z)^2],   C(c) = E[f(u) f(v)] / Q(1),  corr(u, v) = c,  u, v ~ N(0, 1)
 * </pre>
 *
 * C(c) at an arbitrary c is a two-dimensional expectation: E_u[f(u) E_z[f(c u + sqrt(1 - c^2) z)]].
 * With the accurate quadrature both levels are kink-split composite rules (error near 1e-12); with
 * the reference quadrature it is the Hermite series over the 100000-node rule, as the reference
 * vectors were made (700 terms).
 */
public final class LocalMaps {

  private static final int REFERENCE_HERMITE_TERMS = 701;
  private static final int ACCURATE_HERMITE_TERMS = 256;

  private final TransformedActivation f;
  private final GaussianQuadrature quadrature;
  private LocalDerivatives derivatives;
  private HermiteCMap series;

  public LocalMaps(TransformedActivation f, GaussianQuadrature quadrature) {
    this.f = f;
    this.quadrature = quadrature;
  }

  public TransformedActivation activation() {
    return f;
  }

  /** Q(1), Q'(1), C(0), C'(0), C'(1), C''(1). */
  public LocalDerivatives derivatives() {
    if (derivatives == null) {
      ActivationSamples samples = ActivationSamples.of(f.base(), f.alpha(), f.beta(), quadrature);
      derivatives =
          LocalDerivatives.of(samples, f.gamma(), f.delta(), f.base().firstDerivativeJumps());
    }
    return derivatives;
  }

  /** Q(q) = E[f(sqrt(q) z)^2] for q >= 0. */
  public double q(double q) {
    if (q < 0) {
      throw new IllegalArgumentException("q must be >= 0, got " + q);
    }
    ActivationSamples s =
        ActivationSamples.of(f.base(), f.alpha() * Math.sqrt(q), f.beta(), quadrature);
    return f.gamma() * f.gamma() * s.secondMoment(f.delta());
  }

  /** C(c) for c in [-1, 1]. */
  public double c(double c) {
    if (!(c >= -1 && c <= 1)) {
      throw new IllegalArgumentException("c must be in [-1, 1], got " + c);
    }
    if (c == 1) {
      return 1;
    }
    if (quadrature.id().equals("reference")) {
      return series().c(c);
    }
    return nestedC(c);
  }

  /** The Hermite-series C map (fast; used for compositions and curves). */
  public HermiteCMap series() {
    if (series == null) {
      boolean reference = quadrature.id().equals("reference");
      GaussianRule rule =
          reference
              ? quadrature.rule(1, 0, new double[0])
              : quadrature.refined(4).rule(f.alpha(), f.beta(), f.base().kinks());
      series =
          HermiteCMap.of(f, rule, reference ? REFERENCE_HERMITE_TERMS : ACCURATE_HERMITE_TERMS);
    }
    return series;
  }

  /**
   * Kinks plus cuts at k +- width * {1/4, 1/2, 1, 2, 4}: for c near 1 the inner expectation smooths
   * each kink over a width alpha * sqrt(1 - c^2) only, and a mesh graded towards the kink resolves
   * that with a few panels.
   */
  private static double[] gradedCuts(double[] kinks, double width) {
    if (kinks.length == 0 || !(width > 0) || width >= 1) {
      return kinks;
    }
    double[] factors = {0.25, 0.5, 1, 2, 4};
    double[] cuts = new double[kinks.length * (1 + 2 * factors.length)];
    int n = 0;
    for (double k : kinks) {
      cuts[n++] = k;
      for (double f : factors) {
        cuts[n++] = k - f * width;
        cuts[n++] = k + f * width;
      }
    }
    return cuts;
  }

  private double nestedC(double c) {
    Activation phi = f.base();
    double alpha = f.alpha();
    double beta = f.beta();
    double s = Math.sqrt((1 - c) * (1 + c));
    GaussianRule outer = quadrature.rule(alpha, beta, gradedCuts(phi.kinks(), Math.abs(alpha) * s));
    double[] u = outer.nodes();
    double[] w = outer.weights();
    double sum = 0;
    for (int i = 0; i < u.length; i++) {
      double inner;
      if (s == 0) {
        inner = f.value(c * u[i]);
      } else {
        ActivationSamples samples =
            ActivationSamples.of(phi, alpha * s, alpha * c * u[i] + beta, quadrature);
        inner = f.gamma() * (samples.mean() + f.delta());
      }
      sum += w[i] * f.value(u[i]) * inner;
    }
    return sum / derivatives().qAt1();
  }
}
