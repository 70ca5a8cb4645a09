package dev.dkssweep.dks.kernel;

/**
 * The closed-form local C map of gamma * LReLU_a with gamma = sqrt(2 / (1 + a^2)) (so Q(q) = q),
 * docs/maths.md (4.1):
 *
 * <pre>
 *   C_a(c) = c + (1 - a)^2 / (pi (1 + a^2)) * (sqrt(1 - c^2) - c arccos(c))
 * </pre>
 *
 * It is the map TAT shapes for Leaky ReLU, and a test oracle for the quadrature.
 */
public final class LeakyReluCMap {

  private LeakyReluCMap() {}

  public static double c(double a, double c) {
    double k = (1 - a) * (1 - a) / (Math.PI * (1 + a * a));
    return c + k * (Math.sqrt(1 - c * c) - c * Math.acos(c));
  }

  /** C_a'(c) = 1 - k arccos(c). */
  public static double slope(double a, double c) {
    double k = (1 - a) * (1 - a) / (Math.PI * (1 + a * a));
    return 1 - k * Math.acos(c);
  }

  /** The TReLU output scale sqrt(2 / (1 + a^2)). */
  public static double gamma(double a) {
    return Math.sqrt(2 / (1 + a * a));
  }
}
