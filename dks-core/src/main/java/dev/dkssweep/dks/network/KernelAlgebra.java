package dev.dkssweep.dks.network;

import java.util.function.DoubleUnaryOperator;

/**
 * What an {@link Architecture} needs to propagate a kernel quantity through its graph: an
 * activation layer, a normalised sum of two branches, and the maximum over subnetworks
 * (docs/maths.md 3.2). Linear layers (dense, Delta-initialised convolutions) are the identity and
 * do not appear.
 *
 * @param <T> the propagated quantity: a q or c value, or a {@link Jet} of the C map at c = 1
 */
public interface KernelAlgebra<T> {

  T activation(T x);

  /** w^2 * shortcut + (1 - w^2) * residual, with {@code shortcutWeightSquared} = w^2. */
  T normalisedSum(double shortcutWeightSquared, T shortcut, T residual);

  /** Combines the whole network's value with that of a subnetwork whose condition also counts. */
  T subnetworkMax(T network, T subnetwork);

  /** The reference's M(x, r): activations replaced by r, maximum over subnetworks. */
  static KernelAlgebra<Double> maximising(DoubleUnaryOperator r) {
    return new ScalarKernelAlgebra(r, true);
  }

  /** The whole network's map (subnetworks ignored): for map curves. */
  static KernelAlgebra<Double> wholeNetwork(DoubleUnaryOperator r) {
    return new ScalarKernelAlgebra(r, false);
  }
}
