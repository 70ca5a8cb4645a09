package dev.dkssweep.dks.network;

import java.util.function.DoubleUnaryOperator;

/**
 * A network as the maths sees it: a graph of activation layers and normalised sums (docs/maths.md
 * 3.2). The reference calls its scalar form M(x, r), the "subnetwork maximising function".
 */
public interface Architecture {

  /**
   * Propagates {@code input} through the graph with the given algebra.
   *
   * @throws UnsupportedOperationException for a user-supplied M, which only has a scalar form
   */
  <T> T propagate(T input, KernelAlgebra<T> algebra);

  /** A stable description, used as cache key and in reports, e.g. {@code mlp50}. */
  String key();

  /** M(x, r). */
  default double apply(double x, DoubleUnaryOperator r) {
    return propagate(x, KernelAlgebra.maximising(r));
  }

  /** mu(psi) = M(1, y -> psi y): the maximal network C'(1) for local slope psi (DKS). */
  default double maxSlope(double psi) {
    return apply(1, y -> psi * y);
  }

  /** kap(k) = M(0, y -> k + y): the maximal network C''(1) for local curvature k (TAT). */
  default double maxCurvature(double k) {
    return apply(0, y -> k + y);
  }

  /** The whole network's map for a local map r (subnetworks ignored); for plots. */
  default double networkMap(double x, DoubleUnaryOperator r) {
    return propagate(x, KernelAlgebra.wholeNetwork(r));
  }
}
