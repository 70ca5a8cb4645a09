package dev.dkssweep.dks.quadrature;

import java.util.Arrays;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * Kink-aware composite Gauss-Legendre quadrature for the standard normal weight.
 *
 * <p>The range [-T, T] (T = 12: the neglected mass is below 4e-33) is cut at every kink of the
 * transformed argument, z = (k - beta) / alpha, and covered by panels with a 16-point
 * Gauss-Legendre rule each. On each panel the integrand is analytic, so the error falls
 * geometrically with the panel count; a jump in the integrand or its derivatives never falls inside
 * a panel, which removes the O(node spacing) error that a fixed rule makes at a kink.
 *
 * <p>Panel widths: at most 1 in z (the scale of the Gaussian weight). In the argument u = alpha z +
 * beta, activations with {@linkplain dev.dkssweep.dks.activation.Activation#tameTails() tame tails}
 * get cuts at u = 0, +-1.25, +-2.5 and then widths growing by a factor 1.3 outwards, so a large
 * alpha costs a few dozen panels rather than thousands; other integrands get a uniform width of
 * 1.25 / |alpha| (at most {@value #MAX_PANELS} panels).
 */
final class CompositeLegendreQuadrature implements GaussianQuadrature {

  private static final double HALF_RANGE = 12;
  private static final double MAX_PANEL = 1.0;
  private static final double CORE_WIDTH = 1.25;
  private static final double GROWTH = 1.3;
  private static final int MAX_PANELS = 2048;
  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  private final double[] baseNodes;
  private final double[] baseWeights;
  private final int refinement;

  CompositeLegendreQuadrature() {
    this(1);
  }

  private CompositeLegendreQuadrature(int refinement) {
    this.refinement = refinement;
    GaussIntegrator base = new GaussIntegratorFactory().legendre(16, -1, 1);
    int n = base.getNumberOfPoints();
    baseNodes = new double[n];
    baseWeights = new double[n];
    for (int i = 0; i < n; i++) {
      baseNodes[i] = base.getPoint(i);
      baseWeights[i] = base.getWeight(i);
    }
  }

  @Override
  public String id() {
    return "accurate";
  }

  @Override
  public GaussianQuadrature refined(int factor) {
    return new CompositeLegendreQuadrature(refinement * factor);
  }

  @Override
  public GaussianRule rule(double alpha, double beta, double[] kinks) {
    return rule(alpha, beta, kinks, false);
  }

  @Override
  public GaussianRule rule(double alpha, double beta, double[] kinks, boolean tameTails) {
    double scale = Math.abs(alpha);
    double[] cuts = cuts(alpha, beta, kinks, tameTails && scale > 0);
    double panel;
    if (tameTails || scale <= CORE_WIDTH / MAX_PANEL) {
      panel = MAX_PANEL / refinement;
    } else {
      panel = Math.max(CORE_WIDTH / scale, 2 * HALF_RANGE / MAX_PANELS) / refinement;
    }
    int[] perSegment = new int[cuts.length - 1];
    int panels = 0;
    for (int s = 0; s < perSegment.length; s++) {
      perSegment[s] = Math.max(1, (int) Math.ceil((cuts[s + 1] - cuts[s]) / panel - 1e-9));
      panels += perSegment[s];
    }
    int m = baseNodes.length;
    double[] nodes = new double[panels * m];
    double[] weights = new double[panels * m];
    int k = 0;
    for (int s = 0; s < perSegment.length; s++) {
      double width = (cuts[s + 1] - cuts[s]) / perSegment[s];
      double half = width / 2;
      for (int p = 0; p < perSegment[s]; p++) {
        double mid = cuts[s] + (p + 0.5) * width;
        for (int i = 0; i < m; i++) {
          double z = mid + half * baseNodes[i];
          nodes[k] = z;
          weights[k] = half * baseWeights[i] * INV_SQRT_2PI * Math.exp(-z * z / 2);
          k++;
        }
      }
    }
    return new GaussianRule(nodes, weights);
  }

  private double[] cuts(double alpha, double beta, double[] kinks, boolean graded) {
    double[] cuts = new double[kinks.length + 2 + (graded ? 256 : 0)];
    int n = 0;
    cuts[n++] = -HALF_RANGE;
    cuts[n++] = HALF_RANGE;
    if (alpha != 0) {
      for (double kink : kinks) {
        n = add(cuts, n, (kink - beta) / alpha);
      }
    }
    if (graded) {
      // cuts in u = alpha z + beta: 0, +-1.25, +-2.5, then growing by 1.3, up to |u| at z = +-T
      double uMax = Math.abs(alpha) * HALF_RANGE + Math.abs(beta);
      double step = CORE_WIDTH / refinement;
      double u = 0;
      n = add(cuts, n, -beta / alpha);
      while (u < uMax && n < cuts.length - 2) {
        u += Math.max(step, u * (GROWTH - 1) / refinement);
        n = add(cuts, n, (u - beta) / alpha);
        n = add(cuts, n, (-u - beta) / alpha);
      }
    }
    double[] sorted = Arrays.copyOf(cuts, n);
    Arrays.sort(sorted);
    return Arrays.stream(sorted).distinct().toArray();
  }

  private static int add(double[] cuts, int n, double z) {
    if (z > -HALF_RANGE + 1e-12 && z < HALF_RANGE - 1e-12) {
      cuts[n++] = z;
    }
    return n;
  }
}
