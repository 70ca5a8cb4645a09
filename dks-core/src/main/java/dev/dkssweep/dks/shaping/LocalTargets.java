package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.exception.TargetUnreachableException;
import dev.dkssweep.dks.kernel.LeakyReluCMap;
import dev.dkssweep.dks.network.Architecture;
import dev.dkssweep.dks.solve.MonotoneBisection;

/**
 * Global targets to local ones through the architecture (docs/maths.md 3.2, 4.1, 4.4, 4.5, 5.7).
 */
final class LocalTargets {

  private LocalTargets() {}

  /** DKS: psi with mu(psi) = zeta; start 1.1, bracket [1, inf). */
  static LocalTarget dksSlope(Architecture m, double zeta, MonotoneBisection bisection) {
    double psi =
        bisection
            .solve(m::maxSlope, zeta, 1.1, 1, Double.POSITIVE_INFINITY)
            .orElseThrow(
                () ->
                    new TargetUnreachableException(
                        "no local C'(1) gives network C'(1) = "
                            + zeta
                            + " for "
                            + m.key()
                            + " within "
                            + bisection.maxEvaluations()
                            + " bisection steps"));
    return new LocalTarget("local_C_slope_at_1", psi);
  }

  /** TAT smooth: kappa with kap(kappa) = tau; start 0.1, bracket [0, inf). */
  static LocalTarget tatCurvature(Architecture m, double tau, MonotoneBisection bisection) {
    double kappa =
        bisection
            .solve(m::maxCurvature, tau, 0.1, 0, Double.POSITIVE_INFINITY)
            .orElseThrow(
                () ->
                    new TargetUnreachableException(
                        "no local C''(1) gives network C''(1) = "
                            + tau
                            + " for "
                            + m.key()
                            + " within "
                            + bisection.maxEvaluations()
                            + " bisection steps"));
    return new LocalTarget("local_C_curv_at_1", kappa);
  }

  /** TReLU: slope a in [0, 1] with M(0, C_a) = eta; start 0.5 on 1 - m(a) = 1 - eta. */
  static LocalTarget treluSlope(Architecture m, double eta, MonotoneBisection bisection) {
    double reluValue = m.apply(0, c -> LeakyReluCMap.c(0, c));
    double a =
        bisection
            .solve(s -> 1 - m.apply(0, c -> LeakyReluCMap.c(s, c)), 1 - eta, 0.5, 0, 1)
            .orElseThrow(
                () ->
                    new TargetUnreachableException(
                        String.format(
                            java.util.Locale.ROOT,
                            "TReLU cannot reach network C(0) = eta = %s on %s: even ReLU"
                                + " (slope 0) only reaches %.6f; use a deeper network or a"
                                + " smaller eta",
                            eta,
                            m.key(),
                            reluValue)));
    return new LocalTarget("negative_slope", a);
  }
}
