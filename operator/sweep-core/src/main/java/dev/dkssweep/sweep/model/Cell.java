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
  public boolean matches(SweepDefinition.Exclusion e) {
    return e.arm().map(arm::equals).orElse(true)
        && e.activation().map(activation::equals).orElse(true)
        && (e.depth().isEmpty() || e.depth().getAsInt() == depth)
        && (e.width().isEmpty() || e.width().getAsInt() == width)
        && (e.learningRate().isEmpty() || e.learningRate().getAsDouble() == learningRate)
        && e.dataset().map(dataset::equals).orElse(true);
  }

  /** Where a cell is in the space, whatever its index: equal points are the same cell. */
  public record Point(
      String arm,
      Architecture architecture,
      String activation,
      int depth,
      int width,
      double learningRate,
      String dataset) {}

  public Point point() {
    return new Point(arm, architecture, activation, depth, width, learningRate, dataset);
  }

  /** This cell at another index. */
  public Cell withIndex(int i) {
    return new Cell(i, arm, method, architecture, activation, depth, width, learningRate, dataset);
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
