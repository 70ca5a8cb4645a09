package dev.dkssweep.dks.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.dks.activation.CustomActivation;
import dev.dkssweep.dks.activation.LeakyRelu;
import dev.dkssweep.dks.activation.StandardActivation;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import org.junit.jupiter.api.Test;

class LocalMapsTest {

  private static final GaussianQuadrature ACCURATE = GaussianQuadrature.accurate();

  private static TransformedActivation trelu(double a) {
    return new TransformedActivation(new LeakyRelu(a), 1, 0, LeakyReluCMap.gamma(a), 0);
  }

  @Test
  void nestedQuadratureMatchesTheClosedFormLeakyReluCMap() {
    for (double a : new double[] {0, 0.25, 0.7}) {
      LocalMaps maps = new LocalMaps(trelu(a), ACCURATE);
      for (double c : new double[] {-1, -0.9, -0.3, 0, 0.5, 0.95, 0.999}) {
        assertThat(maps.c(c)).as("C_%s(%s)", a, c).isCloseTo(LeakyReluCMap.c(a, c), within(1e-12));
      }
      assertThat(maps.derivatives().cSlopeAt0())
          .isCloseTo(LeakyReluCMap.slope(a, 0), within(1e-13));
      assertThat(maps.derivatives().cSlopeAt1()).isCloseTo(1, within(1e-13));
      assertThat(maps.derivatives().curvatureInfinite()).isEqualTo(a != 1);
    }
  }

  @Test
  void treluPreservesQExactly() {
    LocalMaps maps = new LocalMaps(trelu(0.4), ACCURATE);
    for (double q : new double[] {0, 0.3, 1, 2.5}) {
      assertThat(maps.q(q)).isCloseTo(q, within(1e-13));
    }
    assertThat(maps.derivatives().qSlopeAt1()).isCloseTo(1, within(1e-13));
  }

  @Test
  void identityHasIdentityMaps() {
    CustomActivation id = CustomActivation.smooth("id", x -> x, x -> 1, x -> 0);
    LocalMaps maps = new LocalMaps(TransformedActivation.identity(id), ACCURATE);
    assertThat(maps.q(2)).isCloseTo(2, within(1e-13));
    assertThat(maps.c(-0.4)).isCloseTo(-0.4, within(1e-13));
    LocalDerivatives d = maps.derivatives();
    assertThat(d.cSlopeAt1()).isCloseTo(1, within(1e-13));
    assertThat(d.cCurvAt1()).isCloseTo(0, within(1e-15));
    assertThat(d.cAt0()).isCloseTo(0, within(1e-15));
  }

  @Test
  void hermiteSeriesAgreesWithNestedQuadratureForSmoothActivations() {
    TransformedActivation t =
        new TransformedActivation(StandardActivation.TANH, 0.9, 0.3, 1.7, -0.25);
    LocalMaps maps = new LocalMaps(t, ACCURATE);
    for (double c = -1; c <= 1; c += 0.25) {
      assertThat(maps.series().c(c)).as("C(%s)", c).isCloseTo(maps.c(c), within(1e-11));
    }
    assertThat(maps.series().truncationMass()).isLessThan(1e-12);
  }

  @Test
  void hermiteSeriesOfAKinkedActivationReportsItsTruncation() {
    LocalMaps maps = new LocalMaps(trelu(0), ACCURATE);
    double missing = maps.series().truncationMass();
    assertThat(missing).isPositive().isLessThan(1e-3);
    assertThat(maps.series().c(0.5)).isCloseTo(LeakyReluCMap.c(0, 0.5), within(1e-9));
  }

  @Test
  void mapCurvesSpanTheirGridsAndShowTheShaping() {
    TransformedActivation t =
        new TransformedActivation(StandardActivation.TANH, 0.13, 0.57, 10.6, -0.51);
    MapCurves curves = MapCurves.of(t, Architectures.plain(50), ACCURATE, 9);
    assertThat(curves.q()).containsExactly(0, 0.375, 0.75, 1.125, 1.5, 1.875, 2.25, 2.625, 3);
    assertThat(curves.c()[0]).isEqualTo(-1);
    assertThat(curves.c()[8]).isEqualTo(1);
    assertThat(curves.localC()[8]).isCloseTo(1, within(1e-9));
    // raw tanh through 50 layers collapses negative and positive c towards each other;
    // the transformed network keeps them apart
    assertThat(curves.untransformedNetworkC()[2]).isCloseTo(curves.c()[2], within(0.6));
    assertThat(curves.networkC()[6]).isGreaterThan(0.3);
  }

  @Test
  void rejectsArgumentsOutsideTheDomain() {
    LocalMaps maps = new LocalMaps(trelu(0.5), ACCURATE);
    assertThatThrownBy(() -> maps.c(1.5)).hasMessageContaining("[-1, 1]");
    assertThatThrownBy(() -> maps.q(-1)).hasMessageContaining(">= 0");
  }
}
