package dev.dkssweep.dks.quadrature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.special.Erf;
import org.junit.jupiter.api.Test;

/** Oracles: Gaussian moments and closed-form expectations (each test starts from a closed form). */
class GaussianQuadratureTest {

  private static final GaussianQuadrature ACCURATE = GaussianQuadrature.accurate();
  private static final double[] NONE = {};

  static double phi(double x) {
    return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  }

  static double bigPhi(double x) {
    return Erf.erfc(-x / Math.sqrt(2)) / 2;
  }

  @Test
  void accurateRuleIsExactOnGaussianMoments() {
    double[] moments = {1, 1, 3, 15, 105, 945};
    for (int k = 0; k < moments.length; k++) {
      int p = 2 * k;
      double e = ACCURATE.expectation(z -> Math.pow(z, p));
      assertThat(e).as("E[z^%d]", p).isCloseTo(moments[k], within(1e-13 * moments[k]));
    }
    assertThat(ACCURATE.expectation(z -> z * z * z)).isCloseTo(0, within(1e-15));
  }

  @Test
  void accurateRuleMatchesClosedFormsOfSmoothIntegrandsTo1e12() {
    for (double a : new double[] {0.5, 1, 3}) {
      assertThat(ACCURATE.expectation(z -> Math.cos(a * z)))
          .isCloseTo(Math.exp(-a * a / 2), within(1e-13));
      assertThat(ACCURATE.expectation(z -> Math.exp(a * z)))
          .isCloseTo(Math.exp(a * a / 2), within(1e-12 * Math.exp(a * a / 2)));
    }
    // E[erf(alpha z + beta)] = erf(beta / sqrt(1 + 2 alpha^2)), E[Phi(alpha z + beta)] likewise
    for (double alpha : new double[] {0.1, 1.3, 4}) {
      double beta = 0.4;
      GaussianRule rule = ACCURATE.rule(alpha, beta, NONE);
      double erf = rule.expectation(z -> Erf.erf(alpha * z + beta));
      assertThat(erf).isCloseTo(Erf.erf(beta / Math.sqrt(1 + 2 * alpha * alpha)), within(1e-13));
      double cdf = rule.expectation(z -> bigPhi(alpha * z + beta));
      assertThat(cdf).isCloseTo(bigPhi(beta / Math.sqrt(1 + alpha * alpha)), within(1e-13));
    }
  }

  @Test
  void splittingAtTheKinkMakesReluExpectationsExact() {
    // E[relu(a z + b)] = a N(b/a) + b Phi(b/a); E[relu^2] = (a^2 + b^2) Phi(b/a) + a b N(b/a)
    for (double[] ab : new double[][] {{1, 0.37}, {0.63, -1}, {5.07, -1}, {0.1, 0.05}}) {
      double a = ab[0];
      double b = ab[1];
      GaussianRule rule = ACCURATE.rule(a, b, new double[] {0});
      double m1 = rule.expectation(z -> Math.max(0, a * z + b));
      double m2 = rule.expectation(z -> Math.pow(Math.max(0, a * z + b), 2));
      double d1 = rule.expectation(z -> a * z + b > 0 ? 1 : 0);
      assertThat(m1).isCloseTo(a * phi(b / a) + b * bigPhi(b / a), within(1e-14));
      assertThat(m2).isCloseTo((a * a + b * b) * bigPhi(b / a) + a * b * phi(b / a), within(1e-13));
      assertThat(d1).as("a jump integrates exactly").isCloseTo(bigPhi(b / a), within(1e-14));
    }
  }

  @Test
  void gradedMeshKeepsLargeInputScalesAccurateAndCheap() {
    // tame tails: panels widen with |alpha z + beta|; closed forms as above, alpha up to 500
    for (double alpha : new double[] {0.05, 2, 30, 500}) {
      double beta = 0.7;
      GaussianRule rule = ACCURATE.rule(alpha, beta, new double[] {0}, true);
      assertThat(rule.size()).as("nodes for alpha %s", alpha).isLessThan(2000);
      assertThat(rule.expectation(z -> Erf.erf(alpha * z + beta)))
          .isCloseTo(Erf.erf(beta / Math.sqrt(1 + 2 * alpha * alpha)), within(1e-13));
      // no closed form for tanh^2: a 4x finer uniform mesh (16x finer graded beyond its panel cap)
      java.util.function.DoubleUnaryOperator tanh2 =
          z -> Math.tanh(alpha * z + beta) * Math.tanh(alpha * z + beta);
      GaussianRule finer =
          alpha <= 30
              ? ACCURATE.refined(4).rule(alpha, beta, new double[] {0}, false)
              : ACCURATE.refined(16).rule(alpha, beta, new double[] {0}, true);
      assertThat(rule.expectation(tanh2)).isCloseTo(finer.expectation(tanh2), within(1e-13));
      double relu = rule.expectation(z -> Math.max(0, alpha * z + beta));
      assertThat(relu)
          .isCloseTo(
              alpha * phi(beta / alpha) + beta * bigPhi(beta / alpha), within(1e-13 * alpha));
    }
  }

  @Test
  void referenceRuleHasOneHundredThousandNodesOnMinusTenToTen() {
    GaussianRule rule = GaussianQuadrature.reference().rule(0.3, 0.1, new double[] {0});
    assertThat(rule.size()).isEqualTo(100_000);
    assertThat(rule.nodes()[0]).isGreaterThan(-10);
    assertThat(rule.nodes()[99_999]).isLessThan(10).isCloseTo(10, within(1e-7));
    assertThat(rule.expectation(z -> 1)).isCloseTo(1, within(1e-12));
    assertThat(rule.expectation(z -> z * z)).isCloseTo(1, within(1e-12));
    assertThat(rule.expectation(z -> Math.cos(z))).isCloseTo(Math.exp(-0.5), within(1e-12));
  }

  @Test
  void referenceRuleKeepsTheKinkErrorTheReferenceHas() {
    // a jump at a point that is not a node: error O(node spacing), as docs/maths.md 5.1 measures
    GaussianRule rule = GaussianQuadrature.reference().rule(1, 0, NONE);
    double exact = bigPhi(-0.3);
    double approx = rule.expectation(z -> z > 0.3 ? 1 : 0);
    assertThat(Math.abs(approx - exact)).isGreaterThan(1e-7).isLessThan(1e-4);
  }

  @Test
  void referenceRuleIsComputedOncePerInstance() {
    GaussianQuadrature q = GaussianQuadrature.reference();
    assertThat(q.rule(1, 0, NONE)).isSameAs(q.rule(2, 1, NONE));
  }

  @Test
  void unknownModeIsRejected() {
    assertThatThrownBy(() -> GaussianQuadrature.byName("simpson"))
        .hasMessageContaining("accurate or reference");
    assertThat(GaussianQuadrature.byName("reference").id()).isEqualTo("reference");
  }
}
