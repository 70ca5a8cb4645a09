package dev.dkssweep.dks.kernel;

import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.network.Architecture;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;

/**
 * Local and network Q maps on q in [0, 3] and C maps on c in [-1, 1], for plotting against the
 * identity (docs/maths.md section 12), for the transformed and the untransformed activation.
 */
public record MapCurves(
    double[] q,
    double[] localQ,
    double[] networkQ,
    double[] c,
    double[] localC,
    double[] networkC,
    double[] untransformedLocalC,
    double[] untransformedNetworkC) {

  /** Curves with {@code points} samples on each grid (at least 2). */
  public static MapCurves of(
      TransformedActivation f,
      Architecture architecture,
      GaussianQuadrature quadrature,
      int points) {
    if (points < 2) {
      throw new IllegalArgumentException("points must be >= 2, got " + points);
    }
    LocalMaps local = new LocalMaps(f, quadrature);
    NetworkMaps network = new NetworkMaps(architecture, local);
    LocalMaps raw = new LocalMaps(TransformedActivation.identity(f.base()), quadrature);
    NetworkMaps rawNetwork = new NetworkMaps(architecture, raw);
    double[] q = grid(0, 3, points);
    double[] c = grid(-1, 1, points);
    double[] localQ = new double[points];
    double[] networkQ = new double[points];
    double[] localC = new double[points];
    double[] networkC = new double[points];
    double[] rawC = new double[points];
    double[] rawNetworkC = new double[points];
    for (int i = 0; i < points; i++) {
      localQ[i] = local.q(q[i]);
      networkQ[i] = network.q(q[i]);
      localC[i] = local.series().c(c[i]);
      networkC[i] = network.c(c[i]);
      rawC[i] = raw.series().c(c[i]);
      rawNetworkC[i] = rawNetwork.c(c[i]);
    }
    return new MapCurves(q, localQ, networkQ, c, localC, networkC, rawC, rawNetworkC);
  }

  private static double[] grid(double lo, double hi, int n) {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = i == n - 1 ? hi : lo + (hi - lo) * i / (n - 1);
    }
    return g;
  }
}
