package dev.dkssweep.dks.kernel;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.quadrature.GaussianRule;

/**
 * phi, phi' and phi'' of a base activation at u_i = alpha z_i + beta over the nodes z_i of a
 * Gaussian rule. Every expectation of section 2 for phi_hat = gamma (phi(u) + delta) is a weighted
 * sum over these arrays, so one evaluation of the activation serves all of them.
 */
public final class ActivationSamples {

  private final double alpha;
  private final double[] z;
  private final double[] w;
  private final double[] v;
  private final double[] d1;
  private final double[] d2;

  private ActivationSamples(double alpha, GaussianRule rule, double[] v, double[] d1, double[] d2) {
    this.alpha = alpha;
    this.z = rule.nodes();
    this.w = rule.weights();
    this.v = v;
    this.d1 = d1;
    this.d2 = d2;
  }

  public static ActivationSamples of(
      Activation phi, double alpha, double beta, GaussianQuadrature quadrature) {
    GaussianRule rule = quadrature.rule(alpha, beta, phi.kinks(), phi.tameTails());
    int n = rule.size();
    double[] u = new double[n];
    double[] nodes = rule.nodes();
    for (int i = 0; i < n; i++) {
      u[i] = alpha * nodes[i] + beta;
    }
    double[] v = new double[n];
    double[] d1 = new double[n];
    double[] d2 = new double[n];
    phi.evaluate(u, n, v, d1, d2);
    return new ActivationSamples(alpha, rule, v, d1, d2);
  }

  /** E[phi(u)]. */
  public double mean() {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += w[i] * v[i];
    }
    return s;
  }

  /** E[(phi(u) + delta)^2]. */
  public double secondMoment(double delta) {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      double f = v[i] + delta;
      s += w[i] * f * f;
    }
    return s;
  }

  /** E[(phi(u) + delta) phi'(u) z]; times gamma^2 alpha this is Q'(1). */
  public double slopeMoment(double delta) {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += w[i] * (v[i] + delta) * d1[i] * z[i];
    }
    return alpha * s;
  }

  /** E[phi'(u)^2] alpha^2. */
  public double firstDerivativeSquare() {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += w[i] * d1[i] * d1[i];
    }
    return alpha * alpha * s;
  }

  /** E[phi'(u)] alpha. */
  public double firstDerivativeMean() {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += w[i] * d1[i];
    }
    return alpha * s;
  }

  /** E[phi''(u)^2] alpha^4 (Dirac masses of phi'' ignored, as in the reference). */
  public double secondDerivativeSquare() {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += w[i] * d2[i] * d2[i];
    }
    double a2 = alpha * alpha;
    return a2 * a2 * s;
  }
}
