package dev.dkssweep.dks.activation;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * A user-defined activation given as function plus first and second derivatives (docs/maths.md
 * section 12). Kinks, if any, must be declared so that quadrature splits there; {@code
 * firstDerivativeJumps} marks a jump of phi' (TAT then needs explicit permission); {@code tame}
 * allows quadrature panels that widen with |x| (see {@link Activation#tameTails()}).
 */
public record CustomActivation(
    String id,
    DoubleUnaryOperator function,
    DoubleUnaryOperator firstDerivative,
    DoubleUnaryOperator secondDerivative,
    double[] kinkPoints,
    boolean jumpsInFirstDerivative,
    boolean tame)
    implements Activation {

  public CustomActivation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(firstDerivative, "firstDerivative");
    Objects.requireNonNull(secondDerivative, "secondDerivative");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id must not be blank");
    }
    kinkPoints = kinkPoints == null ? new double[0] : kinkPoints.clone();
    Arrays.sort(kinkPoints);
  }

  /** A smooth user-defined activation. */
  public static CustomActivation smooth(
      String id, DoubleUnaryOperator f, DoubleUnaryOperator d1, DoubleUnaryOperator d2) {
    return new CustomActivation(id, f, d1, d2, new double[0], false, false);
  }

  @Override
  public double value(double x) {
    return function.applyAsDouble(x);
  }

  @Override
  public double d1(double x) {
    return firstDerivative.applyAsDouble(x);
  }

  @Override
  public double d2(double x) {
    return secondDerivative.applyAsDouble(x);
  }

  @Override
  public double[] kinks() {
    return kinkPoints.clone();
  }

  @Override
  public boolean firstDerivativeJumps() {
    return jumpsInFirstDerivative;
  }

  @Override
  public boolean tameTails() {
    return tame;
  }
}
