package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.exception.InvalidArgumentException;

/**
 * How activations are shaped (docs/maths.md section 4). Parameters are validated on construction
 * with the reference's rules (4.7); a violation is an {@link InvalidArgumentException}.
 */
public sealed interface ShapingMethod
    permits ShapingMethod.Dks, ShapingMethod.Tat, ShapingMethod.Untransformed {

  /** {@code dks}, {@code tat} or {@code untransformed}. */
  String id();

  /**
   * Deep Kernel Shaping: network C'(1) = zeta (max over subnetworks), Q(1) = 1, Q'(1) = local Q
   * slope target, C(0) = 0.
   */
  record Dks(double zeta, double localQSlope) implements ShapingMethod {
    public static final double DEFAULT_ZETA = 1.5;
    public static final double DEFAULT_LOCAL_Q_SLOPE = 1.0;

    public Dks {
      if (!(zeta > 1) || Double.isInfinite(zeta)) {
        throw new InvalidArgumentException(
            "zeta",
            "must be a finite number > 1 (C'(1) >= 1 for any C map with C(0) = 0), got " + zeta);
      }
      if (!Double.isFinite(localQSlope)) {
        throw new InvalidArgumentException(
            "local_q_slope_target", "must be finite, got " + localQSlope);
      }
    }

    public static Dks defaults() {
      return new Dks(DEFAULT_ZETA, DEFAULT_LOCAL_Q_SLOPE);
    }

    @Override
    public String id() {
      return "dks";
    }
  }

  /**
   * Tailored Activation Transformation: C'(1) = 1 locally and network C''(1) = tau for smooth
   * activations; for Leaky ReLU (TReLU) network C(0) = eta.
   *
   * @param allowJumpingDerivative solve TAT-smooth even when phi' jumps (C''(1) is then infinite
   *     and the reference's value, which ignores the Dirac mass, is reproduced; section 5.6)
   */
  record Tat(double tau, double eta, boolean allowJumpingDerivative) implements ShapingMethod {
    public static final double DEFAULT_TAU = 0.3;
    public static final double DEFAULT_ETA = 0.9;

    public Tat {
      if (!(tau > 0) || Double.isInfinite(tau)) {
        throw new InvalidArgumentException("tau", "must be a finite number > 0, got " + tau);
      }
      if (!(eta >= 0 && eta <= 1)) {
        throw new InvalidArgumentException("eta", "must be in [0, 1], got " + eta);
      }
    }

    public static Tat defaults() {
      return new Tat(DEFAULT_TAU, DEFAULT_ETA, false);
    }

    @Override
    public String id() {
      return "tat";
    }
  }

  /** The raw activations, for baselines and comparison. */
  record Untransformed() implements ShapingMethod {
    @Override
    public String id() {
      return "untransformed";
    }
  }
}
