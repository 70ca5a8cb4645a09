package dev.dkssweep.dks.solve;

import java.util.OptionalDouble;
import java.util.function.DoubleUnaryOperator;

/**
 * The reference's search for x with g(x) = target, g increasing (docs/maths.md 5.7): start at x0,
 * halve towards the bracket while |g(x) - target| >= tolerance, doubling x while the upper end is
 * infinite. Reproduced step for step so that the local targets agree with the reference bit for bit
 * when g is evaluated in the same order.
 */
public record MonotoneBisection(double tolerance, int maxEvaluations) {

  /** The reference's settings: tolerance 1e-8, 100 evaluations. */
  public static final MonotoneBisection REFERENCE = new MonotoneBisection(1e-8, 100);

  public MonotoneBisection {
    if (!(tolerance > 0)) {
      throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
    }
    if (maxEvaluations < 1) {
      throw new IllegalArgumentException("maxEvaluations must be >= 1, got " + maxEvaluations);
    }
  }

  /**
   * @param hi the upper end of the bracket, {@code Double.POSITIVE_INFINITY} for none
   * @return x, or empty when the budget runs out (the target is then probably unreachable)
   */
  public OptionalDouble solve(
      DoubleUnaryOperator g, double target, double x0, double lo, double hi) {
    double x = x0;
    double low = lo;
    double high = hi;
    for (int i = 0; i < maxEvaluations; i++) {
      double v = g.applyAsDouble(x);
      if (Math.abs(v - target) < tolerance) {
        return OptionalDouble.of(x);
      }
      if (v > target) {
        high = x;
        x = (x + low) / 2;
      } else {
        low = x;
        x = Double.isInfinite(high) ? 2 * x : (x + high) / 2;
      }
    }
    return OptionalDouble.empty();
  }
}
