package dev.dkssweep.trainer.engine;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.TransformedActivation;

/**
 * The shaped activation phi_hat(z) = gamma * (phi(alpha * (z + b) + beta) + delta) of a dense
 * layer, applied in place to a row-major batch of pre-activations {@code z} (bias {@code b} per
 * column), optionally storing phi_hat'(z + b) = gamma * alpha * phi'(alpha * (z + b) + beta) for
 * the backward pass. Bias, transform, activation and derivative are one pass over the data.
 *
 * <p>tanh, sigmoid, relu and leaky_relu are loops that HotSpot compiles to SIMD code (tanh by a
 * rational approximation accurate to 3e-7, below float's own rounding of values near 1; sigmoid as
 * a rescaled tanh); softplus uses {@link Math} in double precision; every other activation is
 * evaluated with dks-core's own functions in double precision, so the network realises exactly the
 * function the kernel analysis assumed.
 */
abstract class Pointwise {

  final float alpha;
  final float beta;
  final float gamma;
  final float delta;
  final float slope;

  private Pointwise(TransformedActivation t, float slope) {
    this(t.alpha(), t.beta(), t.gamma(), t.delta(), slope);
  }

  private Pointwise(double alpha, double beta, double gamma, double delta, float slope) {
    this.alpha = (float) alpha;
    this.beta = (float) beta;
    this.gamma = (float) gamma;
    this.delta = (float) delta;
    this.slope = slope;
  }

  static Pointwise of(TransformedActivation t) {
    return switch (t.base().id()) {
      case "tanh" -> new Tanh(t);
      // sigmoid(u) = (1 + tanh(u / 2)) / 2, so gamma (sigmoid(alpha z + beta) + delta) is
      // gamma/2 (tanh(alpha/2 z + beta/2) + 1 + 2 delta), derivative included
      case "sigmoid" -> new Tanh(t.alpha() / 2, t.beta() / 2, t.gamma() / 2, 1 + 2 * t.delta());
      case "relu" -> new LeakyRelu(t, 0f);
      case "leaky_relu" -> new LeakyRelu(t, (float) t.negativeSlope());
      case "softplus" -> new Softplus(t);
      default -> new Generic(t);
    };
  }

  /**
   * Applies phi_hat to {@code z[r * cols + j] + bias[j]} for {@code r < rows}, in place; stores the
   * derivative in {@code deriv} when it is not null.
   */
  abstract void apply(float[] z, float[] bias, int rows, int cols, float[] deriv);

  /**
   * Adds the bias to every row and returns the element count. A separate pass: HotSpot vectorises
   * flat loops, not a row loop with a per-column bias fused into the activation (10x slower).
   */
  static int addBias(float[] z, float[] bias, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int off = r * cols;
      for (int j = 0; j < cols; j++) {
        z[off + j] += bias[j];
      }
    }
    return rows * cols;
  }

  /** tanh in single precision, |error| <= 3e-7; a rational minimax fit on [-7.9, 7.9]. */
  static float tanh(float x) {
    float v = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, x));
    float v2 = v * v;
    float p = v2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = v2 * p + -8.60467152213735e-11f;
    p = v2 * p + 5.12229709037114e-08f;
    p = v2 * p + 1.48572235717979e-05f;
    p = v2 * p + 6.37261928875436e-04f;
    p = v2 * p + 4.89352455891786e-03f;
    p = v * p;
    float q = v2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = v2 * q + 2.26843463243900e-03f;
    q = v2 * q + 4.89352518554385e-03f;
    return p / q;
  }

  private static final class Tanh extends Pointwise {
    Tanh(TransformedActivation t) {
      super(t, 0f);
    }

    Tanh(double alpha, double beta, double gamma, double delta) {
      super(alpha, beta, gamma, delta, 0f);
    }

    @Override
    void apply(float[] z, float[] bias, int rows, int cols, float[] deriv) {
      int n = addBias(z, bias, rows, cols);
      if (deriv == null) {
        values(z, n);
      } else {
        valuesAndDerivatives(z, deriv, n);
      }
    }

    // one method per loop: HotSpot compiles (and vectorises) each with its own profile; a shared
    // method first compiled for inference ran training 20 % slower ever after
    private void values(float[] z, int n) {
      float a = alpha;
      float b0 = beta;
      float g = gamma;
      float d = delta;
      for (int i = 0; i < n; i++) {
        z[i] = g * (tanh(a * z[i] + b0) + d);
      }
    }

    private void valuesAndDerivatives(float[] z, float[] deriv, int n) {
      float a = alpha;
      float b0 = beta;
      float g = gamma;
      float d = delta;
      float ga = gamma * alpha;
      for (int i = 0; i < n; i++) {
        float t = tanh(a * z[i] + b0);
        z[i] = g * (t + d);
        deriv[i] = ga * (1f - t * t);
      }
    }
  }

  /** ReLU ({@code slope} 0) and Leaky ReLU. */
  private static final class LeakyRelu extends Pointwise {
    LeakyRelu(TransformedActivation t, float slope) {
      super(t, slope);
    }

    @Override
    void apply(float[] z, float[] bias, int rows, int cols, float[] deriv) {
      int n = addBias(z, bias, rows, cols);
      if (deriv != null) {
        derivatives(z, deriv, n);
      }
      values(z, n);
    }

    private void derivatives(float[] z, float[] deriv, int n) {
      float a = alpha;
      float b0 = beta;
      float ga = gamma * alpha;
      float gas = gamma * alpha * slope;
      for (int i = 0; i < n; i++) {
        deriv[i] = a * z[i] + b0 > 0f ? ga : gas;
      }
    }

    private void values(float[] z, int n) {
      float a = alpha;
      float b0 = beta;
      float g = gamma;
      float gd = gamma * delta;
      float s = slope;
      if (s <= 1f) {
        for (int i = 0; i < n; i++) {
          float u = a * z[i] + b0;
          z[i] = g * Math.max(u, s * u) + gd;
        }
      } else {
        for (int i = 0; i < n; i++) {
          float u = a * z[i] + b0;
          z[i] = g * Math.min(u, s * u) + gd;
        }
      }
    }
  }

  /** softplus(u) = max(u, 0) + log1p(exp(-|u|)); its derivative is sigmoid(u). */
  private static final class Softplus extends Pointwise {
    Softplus(TransformedActivation t) {
      super(t, 0f);
    }

    @Override
    void apply(float[] z, float[] bias, int rows, int cols, float[] deriv) {
      double ga = (double) gamma * alpha;
      for (int r = 0; r < rows; r++) {
        int off = r * cols;
        for (int j = 0; j < cols; j++) {
          double u = alpha * (double) (z[off + j] + bias[j]) + beta;
          double e = Math.exp(-Math.abs(u));
          z[off + j] = (float) (gamma * (Math.max(u, 0) + Math.log1p(e) + delta));
          if (deriv != null) {
            double sigmoid = u >= 0 ? 1 / (1 + e) : e / (1 + e);
            deriv[off + j] = (float) (ga * sigmoid);
          }
        }
      }
    }
  }

  /** Any dks-core activation, through its own double-precision evaluation. */
  private static final class Generic extends Pointwise {
    private final Activation phi;
    private final double a;
    private final double b0;
    private final double g;
    private final double d;
    private double[] u = new double[0];
    private double[] v = new double[0];
    private double[] d1 = new double[0];
    private double[] d2 = new double[0];

    Generic(TransformedActivation t) {
      super(t, 0f);
      this.phi = t.base();
      this.a = t.alpha();
      this.b0 = t.beta();
      this.g = t.gamma();
      this.d = t.delta();
    }

    @Override
    void apply(float[] z, float[] bias, int rows, int cols, float[] deriv) {
      if (u.length < cols) {
        u = new double[cols];
        v = new double[cols];
        d1 = new double[cols];
        d2 = new double[cols];
      }
      for (int r = 0; r < rows; r++) {
        int off = r * cols;
        for (int j = 0; j < cols; j++) {
          u[j] = a * ((double) z[off + j] + bias[j]) + b0;
        }
        phi.evaluate(u, cols, v, d1, d2);
        for (int j = 0; j < cols; j++) {
          z[off + j] = (float) (g * (v[j] + d));
          if (deriv != null) {
            deriv[off + j] = (float) (g * a * d1[j]);
          }
        }
      }
    }
  }
}
