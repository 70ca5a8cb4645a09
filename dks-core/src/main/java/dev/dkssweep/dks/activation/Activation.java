package dev.dkssweep.dks.activation;

/**
 * An elementwise activation function phi with its analytic first and second derivatives
 * (docs/maths.md section 6).
 *
 * <p>Derivatives are ordinary pointwise derivatives: where phi' jumps (ReLU, Leaky ReLU, SELU) the
 * Dirac mass of phi'' is not represented, exactly as in the reference implementation (section 5.2).
 * {@link #kinks()} lists every point where phi, phi' or phi'' is not smooth, so quadrature can
 * split the integration range there.
 */
public interface Activation {

  /** The reference name, e.g. {@code tanh} or {@code gelu_exact}. */
  String id();

  double value(double x);

  double d1(double x);

  double d2(double x);

  /** Points (in the activation's own argument) where phi, phi' or phi'' is not smooth. */
  default double[] kinks() {
    return new double[0];
  }

  /**
   * True if phi' itself jumps at a kink, so phi'' has a Dirac mass and the true C''(1) is infinite
   * (section 5.6).
   */
  default boolean firstDerivativeJumps() {
    return false;
  }

  /**
   * True if, away from its kinks and |x| < 2, phi varies on a scale that grows in proportion to |x|
   * (polynomial, logarithmic or saturating behaviour, like every built-in activation). Quadrature
   * may then use panels that widen with |alpha z + beta|, which keeps the cost bounded for large
   * input scales. A user-defined activation says false unless it declares otherwise.
   */
  default boolean tameTails() {
    return false;
  }

  /**
   * Evaluates phi, phi' and phi'' at every {@code x[i]}, {@code i < n}. Implementations override
   * this for speed; it is the inner loop of every Gaussian expectation.
   */
  default void evaluate(double[] x, int n, double[] value, double[] d1, double[] d2) {
    for (int i = 0; i < n; i++) {
      value[i] = value(x[i]);
      d1[i] = d1(x[i]);
      d2[i] = d2(x[i]);
    }
  }
}
