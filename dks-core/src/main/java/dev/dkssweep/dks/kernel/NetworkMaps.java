package dev.dkssweep.dks.kernel;

import dev.dkssweep.dks.network.Architecture;
import dev.dkssweep.dks.network.Jet;

/**
 * Network Q and C maps of an architecture whose activation layers all carry the same local maps
 * (docs/maths.md section 3). Slope and curvature at c = 1 are the maxima over the subnetworks whose
 * conditions count (the reference's mu and kap), computed by propagating {@link Jet}s; network C(0)
 * and the curves use the Hermite-series local C map.
 */
public final class NetworkMaps {

  private final Architecture architecture;
  private final LocalMaps local;

  public NetworkMaps(Architecture architecture, LocalMaps local) {
    this.architecture = architecture;
    this.local = local;
  }

  /** max over subnetworks of C_f'(1) = mu(C'(1)). */
  public double cSlopeAt1() {
    return architecture.maxSlope(local.derivatives().cSlopeAt1());
  }

  /**
   * max over subnetworks of C_f''(1). Equals kap(C''(1)) when C'(1) = 1 (TAT); for other slopes it
   * needs the graph, so a user-supplied M gives NaN unless |C'(1) - 1| < 1e-8.
   */
  public double cCurvAt1() {
    LocalDerivatives d = local.derivatives();
    try {
      return architecture
          .propagate(Jet.IDENTITY, Jet.algebra(d.cSlopeAt1(), d.cCurvAt1()))
          .curvature();
    } catch (UnsupportedOperationException e) {
      // TAT solves C'(1) = 1 to the solver's residual tolerance
      return Math.abs(d.cSlopeAt1() - 1) < 1e-8
          ? architecture.maxCurvature(d.cCurvAt1())
          : Double.NaN;
    }
  }

  /** max over subnetworks of C_f(0) = M(0, C). */
  public double cAt0() {
    HermiteCMap c = local.series();
    return architecture.apply(0, c::c);
  }

  /** The whole network's C map at c. */
  public double c(double c) {
    HermiteCMap series = local.series();
    return architecture.networkMap(c, series::c);
  }

  /** The whole network's Q map at q. */
  public double q(double q) {
    return architecture.networkMap(q, local::q);
  }
}
