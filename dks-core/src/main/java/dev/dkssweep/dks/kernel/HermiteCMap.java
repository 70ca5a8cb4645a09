package dev.dkssweep.dks.kernel;

import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.quadrature.GaussianRule;

/**
 * The local C map as a Hermite series, docs/maths.md (2.7): with orthonormal probabilists' Hermite
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

  /** Consecutive negligible coefficients after which the series is cut. */
  private static final int QUIET_TERMS = 8;

  /**
   * Coefficients a_0..a_{N-1}, N <= {@code maxTerms}, by the given rule (which must resolve
   * h_{maxTerms-1}). The series stops early once {@value #QUIET_TERMS} consecutive a_n^2 fall below
   * 1e-20 Q(1): smooth activations with moderate input scales need a few dozen terms.
   */
  public static HermiteCMap of(TransformedActivation f, GaussianRule rule, int maxTerms) {
    double[] z = rule.nodes();
    double[] w = rule.weights();
    int m = z.length;
    double[] wf = new double[m];
    double q1 = 0;
    for (int i = 0; i < m; i++) {
      double fz = f.value(z[i]);
      wf[i] = w[i] * fz;
      q1 += wf[i] * fz;
    }
    double[] hPrev = new double[m];
    double[] h = new double[m];
    java.util.Arrays.fill(h, 1);
    double[] squares = new double[maxTerms];
    int terms = 0;
    int quiet = 0;
    for (int n = 0; n < maxTerms; n++) {
      double a = 0;
      for (int i = 0; i < m; i++) {
        a += wf[i] * h[i];
      }
      squares[n] = a * a;
      terms = n + 1;
      quiet = squares[n] < 1e-20 * q1 ? quiet + 1 : 0;
      if (quiet >= QUIET_TERMS) {
        break;
      }
      // h_{n+1} = (z h_n - sqrt(n) h_{n-1}) / sqrt(n + 1)
      double back = Math.sqrt(n);
      double scale = 1 / Math.sqrt(n + 1.0);
      for (int i = 0; i < m; i++) {
        double next = (z[i] * h[i] - back * hPrev[i]) * scale;
        hPrev[i] = h[i];
        h[i] = next;
      }
    }
    return new HermiteCMap(java.util.Arrays.copyOf(squares, terms), q1);
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
