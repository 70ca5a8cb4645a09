package dev.dkssweep.dks.activation;

import org.hipparchus.special.Erf;
import org.hipparchus.util.FastMath;

/**
 * The smooth and kinked activations accepted by the reference implementation (docs/maths.md section
 * 6), except Leaky ReLU, whose negative slope is a parameter ({@link LeakyRelu}).
 */
public enum StandardActivation implements Activation {
  TANH("tanh") {
    @Override
    public double value(double x) {
      return Math.tanh(x);
    }

    @Override
    public double d1(double x) {
      double t = Math.tanh(x);
      return 1 - t * t;
    }

    @Override
    public double d2(double x) {
      double t = Math.tanh(x);
      return -2 * t * (1 - t * t);
    }

    @Override
    public void evaluate(double[] x, int n, double[] v, double[] d1, double[] d2) {
      for (int i = 0; i < n; i++) {
        double t = Math.tanh(x[i]);
        double s = 1 - t * t;
        v[i] = t;
        d1[i] = s;
        d2[i] = -2 * t * s;
      }
    }
  },
  SIGMOID("sigmoid") {
    @Override
    public double value(double x) {
      return logistic(x);
    }

    @Override
    public double d1(double x) {
      return logistic(x) * logistic(-x);
    }

    @Override
    public double d2(double x) {
      double s = logistic(x);
      double c = logistic(-x);
      return s * c * (c - s);
    }
  },
  ERF("erf") {
    @Override
    public double value(double x) {
      return Erf.erf(x);
    }

    @Override
    public double d1(double x) {
      return TWO_OVER_SQRT_PI * Math.exp(-x * x);
    }

    @Override
    public double d2(double x) {
      return -2 * x * TWO_OVER_SQRT_PI * Math.exp(-x * x);
    }
  },
  RELU("relu", Smoothness.DERIVATIVE_JUMPS_AT_ZERO) {
    @Override
    public double value(double x) {
      return x > 0 ? x : 0;
    }

    @Override
    public double d1(double x) {
      return x > 0 ? 1 : 0;
    }

    @Override
    public double d2(double x) {
      return 0;
    }
  },
  SOFTPLUS("softplus") {
    @Override
    public double value(double x) {
      return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
    }

    @Override
    public double d1(double x) {
      return logistic(x);
    }

    @Override
    public double d2(double x) {
      return logistic(x) * logistic(-x);
    }
  },
  ELU("elu", Smoothness.KINK_AT_ZERO) {
    @Override
    public double value(double x) {
      return x >= 0 ? x : Math.expm1(x);
    }

    @Override
    public double d1(double x) {
      return x >= 0 ? 1 : Math.exp(x);
    }

    @Override
    public double d2(double x) {
      return x >= 0 ? 0 : Math.exp(x);
    }
  },
  SELU("selu", Smoothness.DERIVATIVE_JUMPS_AT_ZERO) {
    @Override
    public double value(double x) {
      return x >= 0 ? SELU_LAMBDA * x : SELU_LAMBDA * SELU_ALPHA * Math.expm1(x);
    }

    @Override
    public double d1(double x) {
      return x >= 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x);
    }

    @Override
    public double d2(double x) {
      return x >= 0 ? 0 : SELU_LAMBDA * SELU_ALPHA * Math.exp(x);
    }
  },
  SWISH("swish") {
    @Override
    public double value(double x) {
      return x * logistic(x);
    }

    @Override
    public double d1(double x) {
      double s = logistic(x);
      return s + x * s * logistic(-x);
    }

    @Override
    public double d2(double x) {
      double s = logistic(x);
      double c = logistic(-x);
      return s * c * (2 + x * (c - s));
    }
  },
  GELU("gelu") {
    @Override
    public double value(double x) {
      return x * (1 + Math.tanh(geluU(x))) / 2;
    }

    @Override
    public double d1(double x) {
      double t = Math.tanh(geluU(x));
      return (1 + t) / 2 + x * (1 - t * t) * geluU1(x) / 2;
    }

    @Override
    public double d2(double x) {
      double t = Math.tanh(geluU(x));
      double s = 1 - t * t;
      double u1 = geluU1(x);
      return s * u1 + x * (s * SQRT_2_OVER_PI * 0.26829 * x - 2 * t * s * u1 * u1) / 2;
    }
  },
  GELU_EXACT("gelu_exact") {
    @Override
    public double value(double x) {
      return x * normalCdf(x);
    }

    @Override
    public double d1(double x) {
      return normalCdf(x) + x * normalPdf(x);
    }

    @Override
    public double d2(double x) {
      return (2 - x * x) * normalPdf(x);
    }
  },
  BENTID("bentid") {
    @Override
    public double value(double x) {
      return (Math.sqrt(x * x + 1) - 1) / 2 + x;
    }

    @Override
    public double d1(double x) {
      return 1 + x / (2 * Math.sqrt(x * x + 1));
    }

    @Override
    public double d2(double x) {
      double r = x * x + 1;
      return 1 / (2 * r * Math.sqrt(r));
    }
  },
  ATAN("atan") {
    @Override
    public double value(double x) {
      return Math.atan(x);
    }

    @Override
    public double d1(double x) {
      return 1 / (1 + x * x);
    }

    @Override
    public double d2(double x) {
      double r = 1 + x * x;
      return -2 * x / (r * r);
    }
  },
  ASINH("asinh") {
    @Override
    public double value(double x) {
      return FastMath.asinh(x);
    }

    @Override
    public double d1(double x) {
      return 1 / Math.sqrt(1 + x * x);
    }

    @Override
    public double d2(double x) {
      double r = 1 + x * x;
      return -x / (r * Math.sqrt(r));
    }
  },
  SQUARE("square") {
    @Override
    public double value(double x) {
      return x * x;
    }

    @Override
    public double d1(double x) {
      return 2 * x;
    }

    @Override
    public double d2(double x) {
      return 2;
    }
  },
  SOFTSIGN("softsign", Smoothness.KINK_AT_ZERO) {
    @Override
    public double value(double x) {
      return x / (1 + Math.abs(x));
    }

    @Override
    public double d1(double x) {
      double r = 1 + Math.abs(x);
      return 1 / (r * r);
    }

    @Override
    public double d2(double x) {
      double r = 1 + Math.abs(x);
      return (x >= 0 ? -2 : 2) / (r * r * r);
    }
  };

  /** SELU's lambda and alpha, to the digits of the reference (section 6). */
  public static final double SELU_LAMBDA = 1.0507009873554804934193349852946;

  public static final double SELU_ALPHA = 1.6732632423543772848170429916717;

  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  /**
   * Where phi is not smooth: nowhere, at 0 (phi' or phi'' jumps there), or at 0 with phi' jumping.
   */
  private enum Smoothness {
    SMOOTH,
    KINK_AT_ZERO,
    DERIVATIVE_JUMPS_AT_ZERO
  }

  private final String referenceName;
  private final Smoothness smoothness;

  StandardActivation(String referenceName) {
    this(referenceName, Smoothness.SMOOTH);
  }

  StandardActivation(String referenceName, Smoothness smoothness) {
    this.referenceName = referenceName;
    this.smoothness = smoothness;
  }

  @Override
  public double[] kinks() {
    return smoothness == Smoothness.SMOOTH ? new double[0] : new double[] {0};
  }

  @Override
  public boolean firstDerivativeJumps() {
    return smoothness == Smoothness.DERIVATIVE_JUMPS_AT_ZERO;
  }

  @Override
  public String id() {
    return referenceName;
  }

  @Override
  public boolean tameTails() {
    return true;
  }

  @Override
  public String toString() {
    return referenceName;
  }

  /** The logistic function 1 / (1 + e^-x), evaluated without overflow. */
  static double logistic(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  static double normalPdf(double x) {
    return INV_SQRT_2PI * Math.exp(-x * x / 2);
  }

  /** Standard normal CDF, Phi(x) = erfc(-x / sqrt 2) / 2. */
  static double normalCdf(double x) {
    return Erf.erfc(-x / Math.sqrt(2)) / 2;
  }

  private static double geluU(double x) {
    return SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
  }

  private static double geluU1(double x) {
    return SQRT_2_OVER_PI * (1 + 0.134145 * x * x);
  }
}
