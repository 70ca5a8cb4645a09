package dev.dkssweep.dks.solve;

/**
 * The linear algebra of MINPACK's {@code hybrd}, ported with its algorithms unchanged: QR without
 * pivoting ({@code qrfac}), accumulation of Q ({@code qform}), the dogleg step ({@code dogleg}),
 * and the rank-one update of the QR factors by Givens rotations ({@code r1updt}, {@code r1mpyq}).
 * Matrices are {@code double[row][column]}; R is packed upper triangular by rows.
 */
final class MinpackAlgebra {

  private MinpackAlgebra() {}

  /** Householder QR without pivoting (qrfac); rdiag gets R's diagonal, acnorm column norms. */
  static void qrFactor(double[][] a, double[] rdiag, double[] acnorm) {
    int n = a.length;
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += a[i][j] * a[i][j];
      }
      acnorm[j] = Math.sqrt(s);
      rdiag[j] = acnorm[j];
    }
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = j; i < n; i++) {
        s += a[i][j] * a[i][j];
      }
      double ajnorm = Math.sqrt(s);
      if (ajnorm != 0) {
        if (a[j][j] < 0) {
          ajnorm = -ajnorm;
        }
        for (int i = j; i < n; i++) {
          a[i][j] /= ajnorm;
        }
        a[j][j] += 1;
        for (int k = j + 1; k < n; k++) {
          double sum = 0;
          for (int i = j; i < n; i++) {
            sum += a[i][j] * a[i][k];
          }
          double temp = sum / a[j][j];
          for (int i = j; i < n; i++) {
            a[i][k] -= temp * a[i][j];
          }
        }
      }
      rdiag[j] = -ajnorm;
    }
  }

  /** Accumulates the orthogonal matrix Q from its factored form (qform). */
  static void qForm(double[][] q, double[] wa) {
    int n = q.length;
    for (int j = 1; j < n; j++) {
      for (int i = 0; i < j; i++) {
        q[i][j] = 0;
      }
    }
    for (int k = n - 1; k >= 0; k--) {
      for (int i = k; i < n; i++) {
        wa[i] = q[i][k];
        q[i][k] = 0;
      }
      q[k][k] = 1;
      if (wa[k] != 0) {
        for (int j = k; j < n; j++) {
          double sum = 0;
          for (int i = k; i < n; i++) {
            sum += q[i][j] * wa[i];
          }
          double temp = sum / wa[k];
          for (int i = k; i < n; i++) {
            q[i][j] -= temp * wa[i];
          }
        }
      }
    }
  }

  /** The dogleg step (dogleg); r is packed upper triangular by rows. */
  static void dogleg(
      int n,
      double[] r,
      double[] diag,
      double[] qtb,
      double delta,
      double[] x,
      double[] wa1,
      double[] wa2) {
    // Gauss-Newton direction by back substitution
    int jj = n * (n + 1) / 2;
    for (int k = 1; k <= n; k++) {
      int j = n - k;
      jj -= k;
      int l = jj + 1;
      double sum = 0;
      for (int i = j + 1; i < n; i++) {
        sum += r[l] * x[i];
        l++;
      }
      double temp = r[jj];
      if (temp == 0) {
        l = j;
        for (int i = 0; i <= j; i++) {
          temp = Math.max(temp, Math.abs(r[l]));
          l += n - i - 1;
        }
        temp = PowellHybrid.EPSMCH * temp;
        if (temp == 0) {
          temp = PowellHybrid.EPSMCH;
        }
      }
      x[j] = (qtb[j] - sum) / temp;
    }
    for (int j = 0; j < n; j++) {
      wa1[j] = 0;
      wa2[j] = diag[j] * x[j];
    }
    double qnorm = PowellHybrid.enorm(wa2);
    if (qnorm <= delta) {
      return;
    }
    // scaled gradient direction
    int l = 0;
    for (int j = 0; j < n; j++) {
      double temp = qtb[j];
      for (int i = j; i < n; i++) {
        wa1[i] += r[l] * temp;
        l++;
      }
      wa1[j] /= diag[j];
    }
    double gnorm = PowellHybrid.enorm(wa1);
    double sgnorm = 0;
    double alpha = delta / qnorm;
    if (gnorm != 0) {
      for (int j = 0; j < n; j++) {
        wa1[j] = (wa1[j] / gnorm) / diag[j];
      }
      l = 0;
      for (int j = 0; j < n; j++) {
        double sum = 0;
        for (int i = j; i < n; i++) {
          sum += r[l] * wa1[i];
          l++;
        }
        wa2[j] = sum;
      }
      double temp = PowellHybrid.enorm(wa2);
      sgnorm = (gnorm / temp) / temp;
      alpha = 0;
      if (sgnorm < delta) {
        double bnorm = PowellHybrid.enorm(qtb);
        temp = (bnorm / gnorm) * (bnorm / qnorm) * (sgnorm / delta);
        double dq = delta / qnorm;
        double sd = sgnorm / delta;
        temp =
            temp
                - dq * sd * sd
                + Math.sqrt((temp - dq) * (temp - dq) + (1 - dq * dq) * (1 - sd * sd));
        alpha = (dq * (1 - sd * sd)) / temp;
      }
    }
    double temp = (1 - alpha) * Math.min(sgnorm, delta);
    for (int j = 0; j < n; j++) {
      x[j] = temp * wa1[j] + alpha * x[j];
    }
  }

  /** Rank-one update of the packed triangular s (r1updt with m = n); v and w get the rotations. */
  static void r1Update(int n, double[] s, double[] u, double[] v, double[] w) {
    double giant = Double.MAX_VALUE;
    int jj = n * (n + 1) / 2 - 1;
    w[n - 1] = s[jj];
    for (int j = n - 2; j >= 0; j--) {
      jj -= n - j;
      w[j] = 0;
      if (v[j] != 0) {
        double cos;
        double sin;
        double tau;
        if (Math.abs(v[n - 1]) < Math.abs(v[j])) {
          double cotan = v[n - 1] / v[j];
          sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
          cos = sin * cotan;
          tau = 1;
          if (Math.abs(cos) * giant > 1) {
            tau = 1 / cos;
          }
        } else {
          double tan = v[j] / v[n - 1];
          cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
          sin = cos * tan;
          tau = sin;
        }
        v[n - 1] = sin * v[j] + cos * v[n - 1];
        v[j] = tau;
        int l = jj;
        for (int i = j; i < n; i++) {
          double temp = cos * s[l] - sin * w[i];
          w[i] = sin * s[l] + cos * w[i];
          s[l] = temp;
          l++;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      w[i] += v[n - 1] * u[i];
    }
    for (int j = 0; j < n - 1; j++) {
      if (w[j] != 0) {
        double cos;
        double sin;
        double tau;
        if (Math.abs(s[jj]) < Math.abs(w[j])) {
          double cotan = s[jj] / w[j];
          sin = 0.5 / Math.sqrt(0.25 + 0.25 * cotan * cotan);
          cos = sin * cotan;
          tau = 1;
          if (Math.abs(cos) * giant > 1) {
            tau = 1 / cos;
          }
        } else {
          double tan = w[j] / s[jj];
          cos = 0.5 / Math.sqrt(0.25 + 0.25 * tan * tan);
          sin = cos * tan;
          tau = sin;
        }
        int l = jj;
        for (int i = j; i < n; i++) {
          double temp = cos * s[l] + sin * w[i];
          w[i] = -sin * s[l] + cos * w[i];
          s[l] = temp;
          l++;
        }
        w[j] = tau;
      }
      jj += n - j;
    }
    s[jj] = w[n - 1];
  }

  /** Applies the two sets of Givens rotations stored in v and w to the columns of a (r1mpyq). */
  static void r1MultiplyQ(double[][] a, double[] v, double[] w) {
    int m = a.length;
    int n = v.length;
    for (int j = n - 2; j >= 0; j--) {
      double[] cs = rotation(v[j]);
      for (int i = 0; i < m; i++) {
        double temp = cs[0] * a[i][j] - cs[1] * a[i][n - 1];
        a[i][n - 1] = cs[1] * a[i][j] + cs[0] * a[i][n - 1];
        a[i][j] = temp;
      }
    }
    for (int j = 0; j < n - 1; j++) {
      double[] cs = rotation(w[j]);
      for (int i = 0; i < m; i++) {
        double temp = cs[0] * a[i][j] + cs[1] * a[i][n - 1];
        a[i][n - 1] = -cs[1] * a[i][j] + cs[0] * a[i][n - 1];
        a[i][j] = temp;
      }
    }
  }

  /** r1mpyq for a single row vector. */
  static void r1MultiplyVector(double[] a, double[] v, double[] w) {
    int n = v.length;
    for (int j = n - 2; j >= 0; j--) {
      double[] cs = rotation(v[j]);
      double temp = cs[0] * a[j] - cs[1] * a[n - 1];
      a[n - 1] = cs[1] * a[j] + cs[0] * a[n - 1];
      a[j] = temp;
    }
    for (int j = 0; j < n - 1; j++) {
      double[] cs = rotation(w[j]);
      double temp = cs[0] * a[j] + cs[1] * a[n - 1];
      a[n - 1] = -cs[1] * a[j] + cs[0] * a[n - 1];
      a[j] = temp;
    }
  }

  /** {cos, sin} recovered from MINPACK's stored tau. */
  private static double[] rotation(double tau) {
    if (Math.abs(tau) > 1) {
      double cos = 1 / tau;
      return new double[] {cos, Math.sqrt(1 - cos * cos)};
    }
    return new double[] {Math.sqrt(1 - tau * tau), tau};
  }
}
