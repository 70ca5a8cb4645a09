package dev.dkssweep.dks.solve;

/** A residual function F: R^n -> R^n. */
@FunctionalInterface
public interface VectorFunction {

  /** Writes F(x) into {@code out}. */
  void value(double[] x, double[] out);
}
