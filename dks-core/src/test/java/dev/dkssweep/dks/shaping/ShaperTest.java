package dev.dkssweep.dks.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.CustomActivation;
import dev.dkssweep.dks.activation.LeakyRelu;
import dev.dkssweep.dks.activation.StandardActivation;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import dev.dkssweep.dks.exception.NoSolutionException;
import dev.dkssweep.dks.exception.TargetUnreachableException;
import dev.dkssweep.dks.exception.UnsupportedCombinationException;
import dev.dkssweep.dks.kernel.LocalDerivatives;
import dev.dkssweep.dks.network.Architecture;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShaperTest {

  private static final Shaper SHAPER = new Shaper(GaussianQuadrature.accurate());

  private static ActivationShape shape(String activation, ShapingMethod method, Architecture m) {
    return SHAPER.shape(ShapingRequest.of(Activations.byName(activation), method, m)).single();
  }

  @Test
  void invalidArgumentsNameTheirField() {
    assertThatThrownBy(() -> new ShapingMethod.Dks(1, 1))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("zeta"));
    assertThatThrownBy(() -> new ShapingMethod.Dks(Double.NaN, 1))
        .isInstanceOf(InvalidArgumentException.class);
    assertThatThrownBy(() -> new ShapingMethod.Tat(0, 0.9, false))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("tau"));
    assertThatThrownBy(() -> new ShapingMethod.Tat(0.3, 1.2, false))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.field()).isEqualTo("eta"));
    assertThatThrownBy(
            () ->
                new ShapingRequest(List.of(), ShapingMethod.Dks.defaults(), Architectures.plain(3)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void unsupportedCombinationsAreRefused() {
    Architecture m = Architectures.plain(20);
    assertThatThrownBy(() -> shape("relu", ShapingMethod.Tat.defaults(), m))
        .isInstanceOf(UnsupportedCombinationException.class)
        .hasMessageContaining("leaky_relu");
    List<Activation> mixed = List.of(new LeakyRelu(0.01), StandardActivation.TANH);
    assertThatThrownBy(
            () -> SHAPER.shape(new ShapingRequest(mixed, ShapingMethod.Tat.defaults(), m)))
        .isInstanceOf(UnsupportedCombinationException.class)
        .hasMessageContaining("only activation");
    assertThatThrownBy(() -> shape("selu", ShapingMethod.Tat.defaults(), m))
        .isInstanceOf(UnsupportedCombinationException.class)
        .hasMessageContaining("first derivative jumps");
  }

  @Test
  void illPosedTatIsSolvedWhenAllowedAndSaysSo() {
    ActivationShape s =
        shape("selu", new ShapingMethod.Tat(0.3, 0.9, true), Architectures.plain(5));
    assertThat(s.solve().residualMax()).isLessThan(1e-8);
    assertThat(s.diagnostics().local().curvatureInfinite()).isTrue();
    assertThat(s.solve().notes()).anyMatch(n -> n.contains("ill-posed"));
  }

  @Test
  void infeasibleDksTargetsReportTheSupremum() {
    // docs/maths.md 6: ELU reaches a local C'(1) of about 1.40 with Q'(1) = 1; zeta 10 at L 5 needs
    // 1.585
    assertThatThrownBy(() -> shape("elu", new ShapingMethod.Dks(10, 1), Architectures.plain(5)))
        .isInstanceOfSatisfying(
            NoSolutionException.class,
            e -> {
              assertThat(e.supremumReached()).isCloseTo(1.40, within(0.01));
              assertThat(e.bestResidual()).isGreaterThan(1e-8);
              assertThat(e.getMessage()).contains("target 1.58489").contains("lower zeta");
            });
  }

  @Test
  void unreachableTreluTargetsSayWhatReluReaches() {
    assertThatThrownBy(
            () -> shape("leaky_relu", ShapingMethod.Tat.defaults(), Architectures.plain(5)))
        .isInstanceOfSatisfying(
            TargetUnreachableException.class,
            e -> assertThat(e.getMessage()).contains("0.735946").contains("deeper"));
    // 4.5: eta 0.9 needs L >= 13
    assertThatThrownBy(
            () -> shape("leaky_relu", ShapingMethod.Tat.defaults(), Architectures.plain(12)))
        .isInstanceOf(TargetUnreachableException.class);
    assertThat(
            shape("leaky_relu", ShapingMethod.Tat.defaults(), Architectures.plain(13))
                .diagnostics()
                .networkCAt0())
        .isCloseTo(0.9, within(1e-8));
  }

  @Test
  void leakyReluClosedFormAgreesWithTheRootFinder() {
    double psi = Math.pow(1.5, 1.0 / 20);
    TransformSolver solver =
        new TransformSolver(GaussianQuadrature.accurate(), SolverSettings.DEFAULTS);
    TransformedActivation found = solver.dksLeakyRelu(1, psi).transform();
    ActivationShape closed =
        shape("leaky_relu", new ShapingMethod.Dks(1.5, 1), Architectures.plain(20));
    assertThat(closed.solve().startIndex()).isEqualTo(-1);
    assertThat(closed.transform().negativeSlope()).isCloseTo(found.negativeSlope(), within(1e-9));
    assertThat(closed.transform().gamma()).isCloseTo(found.gamma(), within(1e-9));
    assertThat(closed.transform().delta()).isCloseTo(found.delta(), within(1e-9));
    assertThat(found.beta()).isCloseTo(0, within(1e-9));
  }

  @Test
  void leakyReluClosedFormGivesANegativeSlopeForSteepTargets() {
    // docs/maths.md 4.3: zeta 10, L 5 gives a = -0.0802
    ActivationShape s = shape("leaky_relu", new ShapingMethod.Dks(10, 1), Architectures.plain(5));
    assertThat(s.transform().negativeSlope()).isCloseTo(-0.0802, within(1e-4));
    assertThat(s.solve().notes()).anyMatch(n -> n.contains("not monotonic"));
  }

  @Test
  void anotherLocalQSlopeTargetIsHonoured() {
    ActivationShape s = shape("softplus", new ShapingMethod.Dks(1.5, 1.1), Architectures.plain(10));
    assertThat(s.diagnostics().local().qSlopeAt1()).isCloseTo(1.1, within(1e-8));
    ActivationShape l =
        shape("leaky_relu", new ShapingMethod.Dks(1.5, 1.2), Architectures.plain(10));
    assertThat(l.solve().startIndex()).isGreaterThanOrEqualTo(0);
    assertThat(l.diagnostics().local().qSlopeAt1()).isCloseTo(1.2, within(1e-8));
    // softplus cannot reach Q'(1) = 1.2 with C(0) = 0 and Q(1) = 1 at all
    assertThatThrownBy(
            () -> shape("softplus", new ShapingMethod.Dks(1.5, 1.2), Architectures.plain(10)))
        .isInstanceOf(NoSolutionException.class)
        .hasMessageContaining("out of reach");
  }

  @Test
  void everyActivationOfARequestMeetsTheSameLocalTarget() {
    ShapingResult r =
        SHAPER.shape(
            new ShapingRequest(
                List.of(
                    StandardActivation.TANH, StandardActivation.SOFTPLUS, StandardActivation.GELU),
                ShapingMethod.Dks.defaults(),
                Architectures.plain(10)));
    assertThat(r.shapes()).hasSize(3);
    for (ActivationShape s : r.shapes()) {
      LocalDerivatives d = s.diagnostics().local();
      assertThat(d.cSlopeAt1()).isCloseTo(r.target().value(), within(1e-8));
      assertThat(d.qAt1()).isCloseTo(1, within(1e-12));
      assertThat(s.transform().alpha()).isPositive();
    }
  }

  @Test
  void resnetV1AndCustomArchitecturesReachTheirNetworkTargets() {
    ActivationShape v1 =
        shape("softplus", ShapingMethod.Dks.defaults(), Architectures.resnet(50, false, 0.8));
    assertThat(v1.diagnostics().networkCSlopeAt1()).isCloseTo(1.5, within(1e-7));
    Architecture two =
        Architectures.custom("two-layers", (x, r) -> r.applyAsDouble(r.applyAsDouble(x)));
    ActivationShape custom = shape("tanh", ShapingMethod.Tat.defaults(), two);
    ActivationShape plain = shape("tanh", ShapingMethod.Tat.defaults(), Architectures.plain(2));
    assertThat(custom.transform().alpha()).isCloseTo(plain.transform().alpha(), within(1e-12));
    assertThat(custom.diagnostics().networkCCurvAt1()).isCloseTo(0.3, within(1e-8));
  }

  @Test
  void customActivationsAreShapedLikeBuiltIns() {
    CustomActivation tanh =
        CustomActivation.smooth(
            "my_tanh",
            Math::tanh,
            x -> 1 - Math.tanh(x) * Math.tanh(x),
            x -> -2 * Math.tanh(x) * (1 - Math.tanh(x) * Math.tanh(x)));
    ShapingMethod dks = ShapingMethod.Dks.defaults();
    TransformedActivation mine =
        SHAPER.shape(ShapingRequest.of(tanh, dks, Architectures.plain(20))).single().transform();
    TransformedActivation builtIn = shape("tanh", dks, Architectures.plain(20)).transform();
    assertThat(mine.alpha()).isCloseTo(builtIn.alpha(), within(1e-10));
    assertThat(Math.abs(mine.beta())).isCloseTo(Math.abs(builtIn.beta()), within(1e-10));
  }

  @Test
  void tatAppliesTheRejectRuleToTheSignedAlpha() {
    ActivationShape s = shape("sigmoid", ShapingMethod.Tat.defaults(), Architectures.plain(5));
    assertThat(s.solve().notes()).anyMatch(n -> n.contains("rejected"));
    assertThat(s.solve().startIndex()).isEqualTo(19); // random start 1, as the reference
    assertThat(s.transform().alpha()).isPositive();
  }

  @Test
  void tatTakesTheMirrorOfARejectedRootWhenNoStartLandsOnTheNegativeAlphaBranch() {
    // Sigmoid at depth 10: 26 starts converge, all with alpha * gamma >= 2, none with alpha < 0.
    // Before the mirror step this was a NoSolutionException while depths 5 and 50 solved.
    ActivationShape s = shape("sigmoid", ShapingMethod.Tat.defaults(), Architectures.plain(10));
    assertThat(s.solve().notes()).anyMatch(n -> n.contains("accepted the S1 mirror"));
    assertThat(s.solve().residualMax()).isLessThan(1e-8);
    assertThat(s.transform().alpha()).isPositive();
    assertThat(s.diagnostics().local().qSlopeAt1()).isCloseTo(1, within(1e-7));
    assertThat(s.diagnostics().networkCSlopeAt1()).isCloseTo(1, within(1e-7));
    assertThat(s.diagnostics().networkCCurvAt1()).isCloseTo(0.3, within(1e-6));
    // the same family of roots as the depths the random starts reach (the tanh image, reflected)
    ActivationShape d50 = shape("sigmoid", ShapingMethod.Tat.defaults(), Architectures.plain(50));
    assertThat(Math.signum(s.transform().beta())).isEqualTo(Math.signum(d50.transform().beta()));
    assertThat(s.transform().alpha() * s.transform().gamma()).isGreaterThan(2);
    assertThat(d50.transform().alpha() * d50.transform().gamma()).isGreaterThan(2);
  }

  @Test
  void untransformedActivationsKeepTheirMaps() {
    ActivationShape relu = shape("relu", new ShapingMethod.Untransformed(), Architectures.plain(3));
    assertThat(relu.transform()).isEqualTo(TransformedActivation.identity(StandardActivation.RELU));
    assertThat(relu.diagnostics().local().cAt0()).isCloseTo(1 / Math.PI, within(1e-13));
    assertThat(relu.diagnostics().local().cSlopeAt1()).isCloseTo(1, within(1e-13));
  }

  @Test
  void theCacheSolvesEachCellOnce() {
    ParameterCache cache = new ParameterCache();
    Shaper cached = new Shaper(GaussianQuadrature.accurate(), SolverSettings.DEFAULTS, cache);
    ShapingRequest request =
        ShapingRequest.of(
            StandardActivation.SOFTPLUS, ShapingMethod.Dks.defaults(), Architectures.plain(10));
    ActivationShape first = cached.shape(request).single();
    ActivationShape second = cached.shape(request).single();
    assertThat(second).isSameAs(first);
    cached.shape(
        ShapingRequest.of(
            StandardActivation.SOFTPLUS, new ShapingMethod.Dks(2, 1), Architectures.plain(10)));
    cached.shape(
        ShapingRequest.of(
            StandardActivation.SOFTPLUS, ShapingMethod.Dks.defaults(), Architectures.plain(11)));
    assertThat(cache.size()).isEqualTo(3);
  }
}
