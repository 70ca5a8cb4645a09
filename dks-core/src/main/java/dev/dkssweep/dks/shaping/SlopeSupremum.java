package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.kernel.ActivationSamples;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import java.util.function.DoubleFunction;
import org.hipparchus.analysis.solvers.BrentSolver;
import org.hipparchus.exception.MathIllegalStateException;

/**
 * Estimates the largest local C'(1) that DKS can reach for an activation while Q'(1) = qs holds
 * (with delta and gamma from C(0) = 0 and Q(1) = 1), by the search docs/maths.md section 6
 * describes: for each input scale alpha on a log grid in [0.02, 8], find every input shift beta in
 * [-6, 6] where Q'(1) = qs (sign changes on a grid, then Brent) and evaluate C'(1) there. Run only
 * after a failed solve, to tell an infeasible target from an unlucky start.
 */
final class SlopeSupremum {

  private static final int ALPHAS = 48;
  private static final int BETAS = 49;

  private SlopeSupremum() {}

  /**
   * @param phiOf the activation for a given first unknown (identity for smooth activations; the
   *     Leaky ReLU slope when alpha is fixed at 1)
   */
  static double dks(Activation phi, double qs, GaussianQuadrature quadrature, double[] scales) {
    return search(a -> phi, scales, qs, quadrature, false);
  }

  static double[] defaultScales() {
    double[] a = new double[ALPHAS];
    for (int i = 0; i < ALPHAS; i++) {
      a[i] = 0.02 * Math.pow(8 / 0.02, i / (ALPHAS - 1.0));
    }
    return a;
  }

  static double search(
      DoubleFunction<Activation> phiOf,
      double[] firstUnknowns,
      double qs,
      GaussianQuadrature quadrature,
      boolean unitScale) {
    BrentSolver brent = new BrentSolver(1e-12);
    double best = Double.NaN;
    for (double u : firstUnknowns) {
      Activation phi = phiOf.apply(u);
      double alpha = unitScale ? 1 : u;
      double previousBeta = -6;
      double previous = qSlopeResidual(phi, alpha, previousBeta, qs, quadrature);
      for (int j = 1; j < BETAS; j++) {
        double beta = -6 + 12.0 * j / (BETAS - 1);
        double value = qSlopeResidual(phi, alpha, beta, qs, quadrature);
        if (Double.isFinite(previous) && Double.isFinite(value) && previous * value <= 0) {
          try {
            double root =
                brent.solve(
                    100, b -> qSlopeResidual(phi, alpha, b, qs, quadrature), previousBeta, beta);
            double slope = cSlope(phi, alpha, root, quadrature);
            if (Double.isFinite(slope) && !(slope <= best)) {
              best = slope;
            }
          } catch (MathIllegalStateException e) {
            // no convergence within 100 evaluations on this bracket: skip it
          }
        }
        previous = value;
        previousBeta = beta;
      }
    }
    return best;
  }

  private static double qSlopeResidual(
      Activation phi, double alpha, double beta, double qs, GaussianQuadrature quadrature) {
    ActivationSamples s = ActivationSamples.of(phi, alpha, beta, quadrature);
    double delta = -s.mean();
    return s.slopeMoment(delta) / s.secondMoment(delta) - qs;
  }

  private static double cSlope(
      Activation phi, double alpha, double beta, GaussianQuadrature quadrature) {
    ActivationSamples s = ActivationSamples.of(phi, alpha, beta, quadrature);
    double delta = -s.mean();
    return s.firstDerivativeSquare() / s.secondMoment(delta);
  }
}
