package dev.dkssweep.dks.quadrature;

import java.util.function.DoubleUnaryOperator;

/**
 * A discrete rule for E[g(z)], z ~ N(0, 1): E[g(z)] ~ sum_i weights[i] * g(nodes[i]). The standard
 * normal density is folded into the weights. Arrays are shared, never modified.
 */
public record GaussianRule(double[] nodes, double[] weights) {

  public GaussianRule {
    if (nodes.length != weights.length) {
      throw new IllegalArgumentException(
          "nodes and weights differ in length: " + nodes.length + " vs " + weights.length);
    }
  }

  public int size() {
    return nodes.length;
  }

  public double expectation(DoubleUnaryOperator g) {
    double sum = 0;
    for (int i = 0; i < nodes.length; i++) {
      sum += weights[i] * g.applyAsDouble(nodes[i]);
    }
    return sum;
  }
}
