package dev.dkssweep.dks.shaping;

/**
 * The per-layer target derived from the global one by the monotone bisection (docs/maths.md 5.7).
 *
 * @param kind {@code local_C_slope_at_1} (DKS psi), {@code local_C_curv_at_1} (TAT kappa), {@code
 *     negative_slope} (TReLU a) or {@code none}
 */
public record LocalTarget(String kind, double value) {

  public static final LocalTarget NONE = new LocalTarget("none", Double.NaN);
}
