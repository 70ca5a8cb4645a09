package dev.dkssweep.dks.quadrature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LegendreNodesTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 20, 33})
  void smallRulesMatchHipparchus(int n) {
    LegendreNodes.Rule ours = LegendreNodes.compute(n);
    GaussIntegrator theirs = new GaussIntegratorFactory().legendre(n, -1, 1);
    for (int i = 0; i < n; i++) {
      assertThat(ours.nodes()[i]).isCloseTo(theirs.getPoint(i), within(1e-14));
      assertThat(ours.weights()[i]).isCloseTo(theirs.getWeight(i), within(1e-14));
    }
  }

  /**
   * The Taylor sweep (n >= 100) against Newton on the recurrence for every node. Both are accurate
   * to a few ulp, so nodes must agree to 8 ulp of 1; weights to 1e-12 relative (the series carries
   * P_n' with a drift of ~4e-16 per root between anchors).
   */
  @ParameterizedTest
  @ValueSource(ints = {200, 1001, 4000})
  void taylorSweepAgreesWithNewtonOnTheRecurrence(int n) {
    LegendreNodes.Rule rule = LegendreNodes.compute(n);
    for (int i = 0; i < n; i++) {
      double[] exact = LegendreNodes.newtonOnRecurrence(n, rule.nodes()[i]);
      double w = 2 / ((1 - exact[0]) * (1 + exact[0]) * exact[1] * exact[1]);
      assertThat(rule.nodes()[i]).isCloseTo(exact[0], within(8 * Math.ulp(1.0)));
      assertThat(rule.weights()[i]).isCloseTo(w, within(1e-12 * w));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1001, 100_000})
  void rulesIntegratePolynomialsExactly(int n) {
    LegendreNodes.Rule rule = LegendreNodes.compute(n);
    double[] x = rule.nodes();
    double[] w = rule.weights();
    for (int k = 0; k <= 40; k += 4) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += w[i] * Math.pow(x[i], k);
      }
      assertThat(s).as("integral of x^%d", k).isCloseTo(2.0 / (k + 1), within(1e-12));
    }
    assertThat(x).isSorted();
    assertThat(x[0]).isCloseTo(-x[n - 1], within(0.0));
  }

  @Test
  void oddRulesHaveANodeAtZero() {
    LegendreNodes.Rule rule = LegendreNodes.compute(1001);
    assertThat(rule.nodes()[500]).isZero();
    assertThat(Arrays.stream(rule.weights()).sum()).isCloseTo(2, within(1e-13));
  }
}
