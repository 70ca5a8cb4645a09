package dev.dkssweep.dks.kernel;

/**
 * The local quantities DKS and TAT constrain, for phi_hat at q = 1 (docs/maths.md 2.1): Q(1),
 * Q'(1), C(0), C'(0), C'(1), C''(1). C''(1) ignores the Dirac mass of phi'' where phi' jumps;
 * {@code curvatureInfinite} says when the true value is infinite.
 */
public record LocalDerivatives(
    double qAt1,
    double qSlopeAt1,
    double cAt0,
    double cSlopeAt0,
    double cSlopeAt1,
    double cCurvAt1,
    boolean curvatureInfinite) {

  /** Computes all six from samples of phi at alpha z + beta and the output parameters. */
  public static LocalDerivatives of(
      ActivationSamples samples, double gamma, double delta, boolean curvatureInfinite) {
    double g2 = gamma * gamma;
    double q1 = g2 * samples.secondMoment(delta);
    double mean = samples.mean() + delta;
    double d1Mean = samples.firstDerivativeMean();
    return new LocalDerivatives(
        q1,
        g2 * samples.slopeMoment(delta),
        g2 * mean * mean / q1,
        g2 * d1Mean * d1Mean / q1,
        g2 * samples.firstDerivativeSquare() / q1,
        g2 * samples.secondDerivativeSquare() / q1,
        curvatureInfinite);
  }
}
