package dev.dkssweep.dks.kernel;

import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.quadrature.GaussianRule;

/**
 * The local C map as a Hermite series, dks-math.md (2.7): with orthonormal probabilists' Hermite
 * functions h_n and a_n = E[f(z) h_n(z)], C(c) = sum_n a_n^2 c^n / Q(1).
 *
 * <p>Cheap to evaluate at any c, hence used for network maps (compositions) and curves. Truncation
 * after N terms leaves out sum_{n > N} a_n^2 c^n: negligible for smooth activations, and up to
 * about N^{-3/2} near |c| = 1 for kinked ones; {@link #truncationMass()} reports the missing mass
 * at c = 1.
 */
public final class HermiteCMap {

  private final double[] squares;
  private final double q1;

  private HermiteCMap(double[] squares, double q1) {
    this.squares = squares;
    this.q1 = q1;
  }

  /** Coefficients a_0..a_{terms-1} by the given rule (which must resolve h_{terms-1}). */
  public static HermiteCMap of(TransformedActivation f, GaussianRule rule, int terms) {
    double[] a = new double[terms];
    double[] z = rule.nodes();
    double[] w = rule.weights();
    double q1 = 0;
    for (int i = 0; i < z.length; i++) {
      double fz = f.value(z[i]);
      double wf = w[i] * fz;
      q1 += wf * fz;
      double hPrev = 0;
      double h = 1;
      for (int n = 0; n < terms; n++) {
        a[n] += wf * h;
        double hNext = (z[i] * h - Math.sqrt(n) * hPrev) / Math.sqrt(n + 1.0);
        hPrev = h;
        h = hNext;
      }
    }
    double[] squares = new double[terms];
    for (int n = 0; n < terms; n++) {
      squares[n] = a[n] * a[n];
    }
    return new HermiteCMap(squares, q1);
  }

  public double c(double c) {
    double s = 0;
    for (int n = squares.length - 1; n >= 0; n--) {
      s = s * c + squares[n];
    }
    return s / q1;
  }

  /** 1 - sum a_n^2 / Q(1): the part of C(1) = 1 the truncated series misses. */
  public double truncationMass() {
    double s = 0;
    for (double sq : squares) {
      s += sq;
    }
    return 1 - s / q1;
  }

  public int terms() {
    return squares.length;
  }
}
