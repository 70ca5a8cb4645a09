package dev.dkssweep.dks.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.dks.exception.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ArchitecturesTest {

  @Test
  void plainNetworkComposesLTimes() {
    Architecture m = Architectures.plain(7);
    assertThat(m.maxSlope(1.1)).isCloseTo(Math.pow(1.1, 7), within(1e-14));
    assertThat(m.maxCurvature(0.03)).isCloseTo(0.21, within(1e-15));
    assertThat(m.apply(0.5, y -> y * y)).isCloseTo(Math.pow(0.5, 128), within(1e-50));
    assertThat(m.key()).isEqualTo("mlp7");
  }

  @Test
  void jetsFollowTheCompositionRuleOnAPlainNetwork() {
    double slope = 1.02;
    double curv = 0.05;
    Jet j = Architectures.plain(10).propagate(Jet.IDENTITY, Jet.algebra(slope, curv));
    double s = 1;
    double k = 0;
    for (int i = 0; i < 10; i++) {
      k = curv * s * s + slope * k;
      s = slope * s;
    }
    assertThat(j.slope()).isCloseTo(s, within(1e-14));
    assertThat(j.curvature()).isCloseTo(k, within(1e-14));
  }

  @Test
  void resnetWithZeroShortcutWeightIsAPlainNetwork() {
    // V2 bottleneck ResNet-101: 33 blocks x 3 activations + the final one = 100 in a row
    Architecture m = Architectures.resnet(101, true, 0);
    assertThat(m.maxSlope(1.01)).isCloseTo(Math.pow(1.01, 100), within(1e-12));
    assertThat(m.maxCurvature(0.002)).isCloseTo(0.2, within(1e-14));
  }

  @Test
  void resnetMaxOverSubnetworksIncludesTheResidualBranch() {
    // with shortcut weight 1 the residual branches carry no weight: the whole network sees only
    // the projection shortcuts and the final activation (4 + 1), the branch alone 3
    Architecture m = Architectures.resnet(50, true, 1);
    assertThat(m.maxSlope(2)).isCloseTo(32, within(1e-12));
    assertThat(m.networkMap(1, y -> 2 * y)).isCloseTo(32, within(1e-12));
  }

  @Test
  void jetCurvatureEqualsMaxCurvatureWhenSlopesAreOne() {
    Architecture m = Architectures.resnet(101, true, 0.6);
    double k = 0.0045;
    assertThat(m.propagate(Jet.IDENTITY, Jet.algebra(1, k)).curvature())
        .isCloseTo(m.maxCurvature(k), within(1e-14));
    assertThat(
            Architectures.resnet(34, false, 0.5)
                .propagate(Jet.IDENTITY, Jet.algebra(1, k))
                .curvature())
        .isCloseTo(Architectures.resnet(34, false, 0.5).maxCurvature(k), within(1e-14));
  }

  @Test
  void parsesTheStructuresOfTheCli() {
    assertThat(Architectures.parse("mlp", 20)).isEqualTo(Architectures.plain(20));
    assertThat(Architectures.parse("", 5)).isEqualTo(Architectures.plain(5));
    assertThat(Architectures.parse("cnn", 5)).isEqualTo(Architectures.plain(5));
    assertThat(Architectures.parse("resnet101_v2_sw0.6", null).key())
        .isEqualTo("resnet101_v2_sw0.6");
    assertThat(Architectures.parse("resnet18_v1_sw0.8", null)).isInstanceOf(ResNet.class);
  }

  @Test
  void badStructuresNameTheField() {
    assertThatThrownBy(() -> Architectures.parse("mlp", null))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> assertThat(e.field()).isEqualTo("num_nonlinear_layers"));
    assertThatThrownBy(() -> Architectures.parse("mlp", 0)).hasMessageContaining("between 1 and");
    assertThatThrownBy(() -> Architectures.parse("mlp", 1_000_000_000))
        .hasMessageContaining("100000");
    assertThatThrownBy(() -> Architectures.parse("vgg16", null))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("structure"));
    assertThatThrownBy(() -> Architectures.parse("resnet42_v2_sw0.5", null))
        .hasMessageContaining("18, 34, 50, 101, 152, 200");
    assertThatThrownBy(() -> Architectures.parse("resnet50_v2_sw1.5", null))
        .hasMessageContaining("shortcutWeight");
  }

  @Test
  void customMHasOnlyTheScalarForm() {
    Architecture m = Architectures.custom("two", (x, r) -> r.applyAsDouble(r.applyAsDouble(x)));
    assertThat(m.maxSlope(1.5)).isEqualTo(2.25);
    assertThat(m.key()).isEqualTo("two");
    assertThatThrownBy(() -> m.propagate(Jet.IDENTITY, Jet.algebra(1, 1)))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
