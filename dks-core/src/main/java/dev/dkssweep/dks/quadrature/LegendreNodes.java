package dev.dkssweep.dks.quadrature;

/**
 * Gauss-Legendre nodes and weights on [-1, 1] for large n in O(n) time.
 *
 * <p>Method (after Glaser, Liu and Rokhlin, SIAM J. Sci. Comput. 29, 2007): the positive roots are
 * found one after another, from the centre outwards. Around the current root x0, P_n is expanded in
 * a Taylor series whose coefficients follow from the Legendre equation (1 - x^2) y'' - 2 x y' + n(n
 * + 1) y = 0:
 *
 * <pre>
 *   (1 - x0^2) y^(k+2) = 2 x0 (k + 1) y^(k+1) + (k - n)(k + n + 1) y^(k)
 * </pre>
 *
 * Newton's method on that series, started from Tricomi's asymptotic estimate, gives the next root,
 * and the series also gives P_n' there, hence the weight 2 / ((1 - x^2) P_n'(x)^2). The series
 * converges within the distance to +-1, so the last {@value #EDGE_ROOTS} roots near each end are
 * polished instead by Newton's method on the three-term recurrence (O(n) each). Small n uses the
 * recurrence for every root. P_n' carried along the series drifts by about 4e-16 relative per step,
 * so every max(8, n / 200) roots it is recomputed by the recurrence (O(n) work in all; weights then
 * agree with the recurrence to about 1e-13).
 */
public final class LegendreNodes {

  /** Nodes in increasing order and their weights. */
  public record Rule(double[] nodes, double[] weights) {}

  static final int EDGE_ROOTS = 40;
  private static final int TERMS = 44;
  private static final int SMALL = 2 * EDGE_ROOTS + 20;

  private LegendreNodes() {}

  public static Rule compute(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    int positive = n / 2;
    double[] x = new double[positive];
    double[] d = new double[positive];
    int edge = n < SMALL ? positive : EDGE_ROOTS;
    int inner = positive - edge;
    taylorSweep(n, x, d, inner);
    for (int i = inner; i < positive; i++) {
      int j = positive - i; // roots numbered from x ~ 1 downwards: j = 1 is the largest
      double[] root = newtonOnRecurrence(n, tricomi(n, j));
      x[i] = root[0];
      d[i] = root[1];
    }
    return assemble(n, x, d);
  }

  /** Tricomi's estimate of the j-th root (j = 1 is the largest). */
  public static double tricomi(int n, int j) {
    double theta = Math.PI * (4.0 * j - 1) / (4.0 * n + 2);
    double nn = n;
    return (1 - 1 / (8 * nn * nn) + 1 / (8 * nn * nn * nn)) * Math.cos(theta);
  }

  /** Fills x[0..count) with the smallest positive roots and d with P_n' there. */
  private static void taylorSweep(int n, double[] x, double[] d, int count) {
    if (count == 0) {
      return;
    }
    double x0 = 0;
    double[] pd = legendreAtZero(n);
    double p0 = pd[0];
    double d0 = pd[1];
    double[] v = new double[TERMS + 1];
    double[] shiftFactor = new double[TERMS + 1];
    double[] scaleFactor = new double[TERMS + 1];
    for (int k = 0; k + 2 <= TERMS; k++) {
      shiftFactor[k] = 2.0 * (k + 1) / (k + 2);
      scaleFactor[k] = (double) (k - n) * (k + n + 1) / ((k + 1.0) * (k + 2.0));
    }
    int positive = n / 2;
    // re-anchoring costs O(n) each; every n/200 roots keeps the total O(n) and the drift < 1e-13
    int anchorEvery = Math.max(8, n / 200);
    for (int i = 0; i < count; i++) {
      int j = positive - i;
      double guess = tricomi(n, j);
      double rho = guess - x0;
      coefficients(x0, p0, d0, rho, shiftFactor, scaleFactor, v);
      double t = 1;
      for (int it = 0; it < 30; it++) {
        double f = 0;
        double df = 0;
        for (int k = TERMS; k >= 1; k--) {
          f = f * t + v[k];
          df = df * t + k * v[k];
        }
        f = f * t + v[0];
        double step = f / df;
        t -= step;
        if (Math.abs(step * rho) <= 0x1p-54 * Math.max(Math.abs(x0 + t * rho), 1e-3)) {
          break;
        }
      }
      double xr = x0 + t * rho;
      double f = 0;
      double df = 0;
      for (int k = TERMS; k >= 1; k--) {
        f = f * t + v[k];
        df = df * t + k * v[k];
      }
      f = f * t + v[0];
      x0 = xr;
      p0 = f;
      d0 = df / rho;
      if (i % anchorEvery == anchorEvery - 1) {
        // P_n' from the series drifts by ~1e-16 relative per step; re-anchor on the recurrence.
        double[] exact = legendre(n, xr);
        p0 = exact[0];
        d0 = exact[1];
      }
      x[i] = xr;
      d[i] = d0;
    }
  }

  /**
   * Scaled Taylor coefficients v_k = y^(k)(x0) rho^k / k! of P_n around x0, so that P_n(x0 + t rho)
   * = sum_k v_k t^k.
   */
  private static void coefficients(
      double x0,
      double p0,
      double d0,
      double rho,
      double[] shiftFactor,
      double[] scaleFactor,
      double[] v) {
    double inv = 1 / ((1 - x0) * (1 + x0));
    double a = x0 * rho * inv;
    double b = rho * rho * inv;
    v[0] = p0;
    v[1] = d0 * rho;
    for (int k = 0; k + 2 < v.length; k++) {
      v[k + 2] = a * shiftFactor[k] * v[k + 1] + b * scaleFactor[k] * v[k];
    }
  }

  /** P_n(0) and P_n'(0). */
  private static double[] legendreAtZero(int n) {
    // P_n(0) = (-1)^(n/2) (n-1)!!/n!! for even n; P_n'(0) = n P_{n-1}(0) for odd n.
    int m = n % 2 == 0 ? n : n - 1;
    double value = 1;
    for (int k = 1; k <= m / 2; k++) {
      value *= -(2.0 * k - 1) / (2.0 * k);
    }
    return n % 2 == 0 ? new double[] {value, 0} : new double[] {0, n * value};
  }

  /**
   * Newton on the three-term recurrence, O(n) per root (the O(n^2) baseline for a whole rule);
   * returns {root, P_n'(root)}.
   */
  public static double[] newtonOnRecurrence(int n, double guess) {
    double x = guess;
    double[] pd = legendre(n, x);
    boolean polishing = false;
    for (int it = 0; it < 50; it++) {
      double step = pd[0] / pd[1];
      x -= step;
      pd = legendre(n, x);
      if (polishing) {
        break;
      }
      // once the step is at rounding level, one more step polishes the last bit
      polishing = Math.abs(step) <= 1e-15 * Math.max(Math.abs(x), 1e-3);
    }
    return new double[] {x, pd[1]};
  }

  /** P_n(x) and P_n'(x) by the Bonnet recurrence and P'_{k+1} = P'_{k-1} + (2k + 1) P_k. */
  static double[] legendre(int n, double x) {
    double pPrev = 1;
    double p = x;
    double dPrev = 0;
    double d = 1;
    if (n == 0) {
      return new double[] {1, 0};
    }
    for (int k = 1; k < n; k++) {
      double pNext = ((2.0 * k + 1) * x * p - k * pPrev) / (k + 1);
      double dNext = dPrev + (2.0 * k + 1) * p;
      pPrev = p;
      p = pNext;
      dPrev = d;
      d = dNext;
    }
    return new double[] {p, d};
  }

  private static Rule assemble(int n, double[] x, double[] d) {
    int positive = x.length;
    double[] nodes = new double[n];
    double[] weights = new double[n];
    int offset = n % 2;
    for (int i = 0; i < positive; i++) {
      double w = 2 / ((1 - x[i]) * (1 + x[i]) * d[i] * d[i]);
      nodes[positive + offset + i] = x[i];
      weights[positive + offset + i] = w;
      nodes[positive - 1 - i] = -x[i];
      weights[positive - 1 - i] = w;
    }
    if (offset == 1) {
      double dz = legendreAtZero(n)[1];
      nodes[positive] = 0;
      weights[positive] = 2 / (dz * dz);
    }
    return new Rule(nodes, weights);
  }
}
