package dev.dkssweep.sweep.model;

import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;

/**
 * One point of a sweep's space; its trials differ only by seed.
 *
 * @param arm the method code, or the baseline's name (resnet-bn)
 * @param method the trainer's method (standard for the resnet-bn baseline)
 */
public record Cell(
    int index,
    String arm,
    Method method,
    Architecture architecture,
    String activation,
    int depth,
    int width,
    double learningRate,
    String dataset) {

  /** True when {@code e} names this cell in every field it gives. */
  public boolean matches(SweepSpec.Exclusion e) {
    return (e.method() == null || e.method().equals(arm))
        && (e.activation() == null || e.activation().equals(activation))
        && (e.depth() == null || e.depth() == depth)
        && (e.width() == null || e.width() == width)
        && (e.learningRate() == null || e.learningRate() == learningRate)
        && (e.dataset() == null || e.dataset().equals(dataset));
  }

  /** A short label: {@code dks tanh d50 w128 lr0.01}. */
  public String label() {
    return arm + " " + activation + " d" + depth + " w" + width + " lr" + plain(learningRate);
  }

  /** A number without exponent or trailing zeros: {@code 0.0003}, not {@code 3.0E-4}. */
  public static String plain(double x) {
    return new java.math.BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
  }
}
