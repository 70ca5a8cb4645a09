package dev.dkssweep.dks.solve;

/**
 * The outcome of one {@link PowellHybrid} run.
 *
 * @param info MINPACK's code: 1 converged (relative step below xtol), 2 evaluation budget spent, 3
 *     xtol too small, 4 and 5 no progress
 * @param evaluations function evaluations used, including the Jacobian's
 */
public record HybridResult(double[] x, double[] residual, int info, int evaluations) {

  public boolean converged() {
    return info == 1;
  }

  public double maxAbsResidual() {
    double m = 0;
    for (double r : residual) {
      m = Math.max(m, Math.abs(r));
    }
    return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
  }
}
