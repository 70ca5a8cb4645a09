package dev.dkssweep.dks.network;

/**
 * The slope and curvature at c = 1 of a C map (its value there is always 1). Composition and
 * normalised sums follow docs/maths.md section 3: (g o h)'(1) = g'(1) h'(1) and (g o h)''(1) =
 * g''(1) h'(1)^2 + g'(1) h''(1).
 */
public record Jet(double slope, double curvature) {

  public static final Jet IDENTITY = new Jet(1, 0);

  /**
   * Propagation of jets through an architecture, for a local C map with slope {@code cSlope} and
   * curvature {@code cCurv} at 1; the maximum over subnetworks is taken per component.
   */
  public static KernelAlgebra<Jet> algebra(double cSlope, double cCurv) {
    return new KernelAlgebra<>() {
      @Override
      public Jet activation(Jet x) {
        return new Jet(cSlope * x.slope(), cCurv * x.slope() * x.slope() + cSlope * x.curvature());
      }

      @Override
      public Jet normalisedSum(double s, Jet shortcut, Jet residual) {
        return new Jet(
            s * shortcut.slope() + (1 - s) * residual.slope(),
            s * shortcut.curvature() + (1 - s) * residual.curvature());
      }

      @Override
      public Jet subnetworkMax(Jet network, Jet subnetwork) {
        return new Jet(
            Math.max(network.slope(), subnetwork.slope()),
            Math.max(network.curvature(), subnetwork.curvature()));
      }
    };
  }
}
