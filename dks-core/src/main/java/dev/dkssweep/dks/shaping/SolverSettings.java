package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.solve.MonotoneBisection;
import dev.dkssweep.dks.solve.PowellHybrid;
import dev.dkssweep.dks.solve.StartPoints;

/**
 * Tolerances and budgets of every solve.
 *
 * @param residualTolerance an accepted solution must have max |residual| below this (1e-8)
 * @param starts starting points in total, grid first (50, as the reference)
 * @param seed seed of the random starts (123, as the reference)
 * @param xtol relative step tolerance of the root finder (SciPy's 1.49012e-8)
 * @param evaluationsPerUnknown the root finder's budget is this times (n + 1) (SciPy's 200)
 * @param bisection local-target search (tolerance 1e-8, 100 evaluations)
 */
public record SolverSettings(
    double residualTolerance,
    int starts,
    int seed,
    double xtol,
    int evaluationsPerUnknown,
    MonotoneBisection bisection) {

  public static final SolverSettings DEFAULTS =
      new SolverSettings(
          1e-8,
          StartPoints.REFERENCE_TOTAL,
          StartPoints.REFERENCE_SEED,
          PowellHybrid.DEFAULT_XTOL,
          200,
          MonotoneBisection.REFERENCE);

  public SolverSettings {
    if (!(residualTolerance > 0)) {
      throw new IllegalArgumentException("residualTolerance must be > 0");
    }
    if (starts < 1) {
      throw new IllegalArgumentException("starts must be >= 1");
    }
    if (evaluationsPerUnknown < 1) {
      throw new IllegalArgumentException("evaluationsPerUnknown must be >= 1");
    }
  }

  PowellHybrid rootFinder(int n) {
    return new PowellHybrid(xtol, evaluationsPerUnknown * (n + 1));
  }
}
