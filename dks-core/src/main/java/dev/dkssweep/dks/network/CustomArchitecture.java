package dev.dkssweep.dks.network;

import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A user-supplied M(x, r). It has only the scalar form, so network curvature for slopes other than
 * 1 and whole-network map curves are not available (the reference has the same limitation).
 */
public record CustomArchitecture(String key, ScalarM m) implements Architecture {

  /** The user's M(x, r). */
  @FunctionalInterface
  public interface ScalarM {
    double apply(double x, DoubleUnaryOperator r);
  }

  public CustomArchitecture {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(m, "m");
  }

  @Override
  public <T> T propagate(T input, KernelAlgebra<T> algebra) {
    throw new UnsupportedOperationException(
        "a user-supplied M(x, r) has only a scalar form; use apply(x, r)");
  }

  @Override
  public double apply(double x, DoubleUnaryOperator r) {
    return m.apply(x, r);
  }

  @Override
  public double networkMap(double x, DoubleUnaryOperator r) {
    return m.apply(x, r);
  }
}
