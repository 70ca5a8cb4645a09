package dev.dkssweep.dks.solve;

/**
 * Powell's hybrid (dogleg) method for F(x) = 0, a port of MINPACK's {@code hybrd} (Moré, Garbow,
 * Hillstrom, 1980) with the options SciPy's {@code root(method='hybr')} uses by default: forward
 * difference Jacobian with step sqrt(eps), Broyden rank-one updates between Jacobians, scaling from
 * the Jacobian's column norms (mode 1), factor 100.
 *
 * <p>The reference implementation solves with exactly this routine, and the DKS/TAT systems have
 * several roots, so reproducing its trajectories matters for landing on the same root
 * (docs/maths.md 5.4). Like {@code hybrd}, success means consecutive iterates agree to {@code
 * xtol}; it does not check the residual, which callers must do.
 */
public final class PowellHybrid {

  /** SciPy's default xtol, 1.49012e-8. */
  public static final double DEFAULT_XTOL = 1.49012e-8;

  static final double EPSMCH = Math.ulp(1.0);
  private static final double FACTOR = 100;
  private static final double P1 = 0.1;
  private static final double P5 = 0.5;
  private static final double P001 = 0.001;
  private static final double P0001 = 0.0001;

  private final double xtol;
  private final int maxEvaluations;

  /**
   * @param maxEvaluations SciPy's default is 200 (n + 1)
   */
  public PowellHybrid(double xtol, int maxEvaluations) {
    if (!(xtol >= 0)) {
      throw new IllegalArgumentException("xtol must be >= 0, got " + xtol);
    }
    if (maxEvaluations < 1) {
      throw new IllegalArgumentException("maxEvaluations must be >= 1, got " + maxEvaluations);
    }
    this.xtol = xtol;
    this.maxEvaluations = maxEvaluations;
  }

  /** The reference's settings for an n-dimensional system. */
  public static PowellHybrid scipyDefaults(int n) {
    return new PowellHybrid(DEFAULT_XTOL, 200 * (n + 1));
  }

  public HybridResult solve(VectorFunction fcn, double[] start) {
    int n = start.length;
    double[] x = start.clone();
    double[] fvec = new double[n];
    double[] diag = new double[n];
    double[][] fjac = new double[n][n];
    double[] r = new double[n * (n + 1) / 2];
    double[] qtf = new double[n];
    double[] wa1 = new double[n];
    double[] wa2 = new double[n];
    double[] wa3 = new double[n];
    double[] wa4 = new double[n];

    fcn.value(x, fvec);
    int nfev = 1;
    double fnorm = enorm(fvec);
    int iter = 1;
    int ncsuc = 0;
    int ncfail = 0;
    int nslow1 = 0;
    int nslow2 = 0;
    double delta = 0;
    double xnorm = 0;
    int info = 0;

    outer:
    while (true) {
      boolean jeval = true;
      nfev += forwardDifferenceJacobian(fcn, x, fvec, fjac, wa1);
      MinpackAlgebra.qrFactor(fjac, wa1, wa2);
      if (iter == 1) {
        for (int j = 0; j < n; j++) {
          diag[j] = wa2[j] == 0 ? 1 : wa2[j];
          wa3[j] = diag[j] * x[j];
        }
        xnorm = enorm(wa3);
        delta = FACTOR * xnorm;
        if (delta == 0) {
          delta = FACTOR;
        }
      }
      // qtf = Q^T fvec
      System.arraycopy(fvec, 0, qtf, 0, n);
      for (int j = 0; j < n; j++) {
        if (fjac[j][j] != 0) {
          double sum = 0;
          for (int i = j; i < n; i++) {
            sum += fjac[i][j] * qtf[i];
          }
          double temp = -sum / fjac[j][j];
          for (int i = j; i < n; i++) {
            qtf[i] += fjac[i][j] * temp;
          }
        }
      }
      // copy the triangular factor into r, packed by rows
      boolean sing = false;
      for (int j = 0; j < n; j++) {
        int l = j;
        for (int i = 0; i < j; i++) {
          r[l] = fjac[i][j];
          l += n - i - 1;
        }
        r[l] = wa1[j];
        if (wa1[j] == 0) {
          sing = true;
        }
      }
      MinpackAlgebra.qForm(fjac, wa1);
      for (int j = 0; j < n; j++) {
        diag[j] = Math.max(diag[j], wa2[j]);
      }

      while (true) {
        MinpackAlgebra.dogleg(n, r, diag, qtf, delta, wa1, wa2, wa3);
        for (int j = 0; j < n; j++) {
          wa1[j] = -wa1[j];
          wa2[j] = x[j] + wa1[j];
          wa3[j] = diag[j] * wa1[j];
        }
        double pnorm = enorm(wa3);
        if (iter == 1) {
          delta = Math.min(delta, pnorm);
        }
        fcn.value(wa2, wa4);
        nfev++;
        double fnorm1 = enorm(wa4);
        double actred = -1;
        if (fnorm1 < fnorm) {
          double t = fnorm1 / fnorm;
          actred = 1 - t * t;
        }
        int l = 0;
        for (int i = 0; i < n; i++) {
          double sum = 0;
          for (int j = i; j < n; j++) {
            sum += r[l] * wa1[j];
            l++;
          }
          wa3[i] = qtf[i] + sum;
        }
        double temp = enorm(wa3);
        double prered = 0;
        if (temp < fnorm) {
          double t = temp / fnorm;
          prered = 1 - t * t;
        }
        double ratio = prered > 0 ? actred / prered : 0;

        if (ratio < P1) {
          ncsuc = 0;
          ncfail++;
          delta = P5 * delta;
        } else {
          ncfail = 0;
          ncsuc++;
          if (ratio >= P5 || ncsuc > 1) {
            delta = Math.max(delta, pnorm / P5);
          }
          if (Math.abs(ratio - 1) <= P1) {
            delta = pnorm / P5;
          }
        }

        if (ratio >= P0001) {
          for (int j = 0; j < n; j++) {
            x[j] = wa2[j];
            wa2[j] = diag[j] * x[j];
            fvec[j] = wa4[j];
          }
          xnorm = enorm(wa2);
          fnorm = fnorm1;
          iter++;
        }

        nslow1++;
        if (actred >= P001) {
          nslow1 = 0;
        }
        if (jeval) {
          nslow2++;
        }
        if (actred >= P1) {
          nslow2 = 0;
        }

        if (delta <= xtol * xnorm || fnorm == 0) {
          info = 1;
        }
        if (info != 0) {
          break outer;
        }
        if (nfev >= maxEvaluations) {
          info = 2;
        }
        if (P1 * Math.max(P1 * delta, pnorm) <= EPSMCH * xnorm) {
          info = 3;
        }
        if (nslow2 == 5) {
          info = 4;
        }
        if (nslow1 == 10) {
          info = 5;
        }
        if (info != 0) {
          break outer;
        }
        if (ncfail == 2) {
          continue outer;
        }

        // Broyden rank-one update of the Jacobian's QR factors and of qtf.
        for (int j = 0; j < n; j++) {
          double sum = 0;
          for (int i = 0; i < n; i++) {
            sum += fjac[i][j] * wa4[i];
          }
          wa2[j] = (sum - wa3[j]) / pnorm;
          wa1[j] = diag[j] * ((diag[j] * wa1[j]) / pnorm);
          if (ratio >= P0001) {
            qtf[j] = sum;
          }
        }
        MinpackAlgebra.r1Update(n, r, wa1, wa2, wa3);
        MinpackAlgebra.r1MultiplyQ(fjac, wa2, wa3);
        MinpackAlgebra.r1MultiplyVector(qtf, wa2, wa3);
        jeval = false;
      }
    }
    // hybrd returns the last accepted iterate and its residual
    return new HybridResult(x, fvec.clone(), info, nfev);
  }

  private static int forwardDifferenceJacobian(
      VectorFunction fcn, double[] x, double[] fvec, double[][] fjac, double[] wa) {
    int n = x.length;
    double eps = Math.sqrt(EPSMCH);
    for (int j = 0; j < n; j++) {
      double temp = x[j];
      double h = eps * Math.abs(temp);
      if (h == 0) {
        h = eps;
      }
      x[j] = temp + h;
      fcn.value(x, wa);
      x[j] = temp;
      for (int i = 0; i < n; i++) {
        fjac[i][j] = (wa[i] - fvec[i]) / h;
      }
    }
    return n;
  }

  static double enorm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
