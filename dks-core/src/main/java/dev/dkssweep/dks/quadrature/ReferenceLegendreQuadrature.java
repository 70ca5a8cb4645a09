package dev.dkssweep.dks.quadrature;

/**
 * The reference implementation's rule: Gauss-Legendre with 100000 nodes on [-10, 10], the normal
 * density folded into the weights, kinks ignored (docs/maths.md 5.1). Nodes are computed in O(n) by
 * {@link LegendreNodes} on first use and kept by this instance.
 */
final class ReferenceLegendreQuadrature implements GaussianQuadrature {

  static final int NODES = 100_000;
  static final double HALF_RANGE = 10;
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  private volatile GaussianRule rule;

  @Override
  public String id() {
    return "reference";
  }

  @Override
  public GaussianRule rule(double alpha, double beta, double[] kinks) {
    GaussianRule r = rule;
    if (r == null) {
      synchronized (this) {
        r = rule;
        if (r == null) {
          r = build();
          rule = r;
        }
      }
    }
    return r;
  }

  private static GaussianRule build() {
    LegendreNodes.Rule legendre = LegendreNodes.compute(NODES);
    double[] nodes = new double[NODES];
    double[] weights = new double[NODES];
    for (int i = 0; i < NODES; i++) {
      double z = HALF_RANGE * legendre.nodes()[i];
      nodes[i] = z;
      weights[i] = HALF_RANGE * legendre.weights()[i] * INV_SQRT_2PI * Math.exp(-z * z / 2);
    }
    return new GaussianRule(nodes, weights);
  }
}
