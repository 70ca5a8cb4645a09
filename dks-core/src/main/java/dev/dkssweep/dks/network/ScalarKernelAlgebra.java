package dev.dkssweep.dks.network;

import java.util.function.DoubleUnaryOperator;

/**
 * M(x, r) over scalars (docs/maths.md 3.2): an activation layer is {@code r}, a normalised sum
 * weighs its branches by w^2 and 1 - w^2, and a subnetwork's value either counts (the maximum, for
 * the conditions) or not (the whole network alone, for its map).
 */
record ScalarKernelAlgebra(DoubleUnaryOperator r, boolean maximiseSubnetworks)
    implements KernelAlgebra<Double> {

  @Override
  public Double activation(Double x) {
    return r.applyAsDouble(x);
  }

  @Override
  public Double normalisedSum(double s, Double shortcut, Double residual) {
    return s * shortcut + (1.0 - s) * residual;
  }

  @Override
  public Double subnetworkMax(Double network, Double subnetwork) {
    return maximiseSubnetworks ? Math.max(network, subnetwork) : network;
  }
}
