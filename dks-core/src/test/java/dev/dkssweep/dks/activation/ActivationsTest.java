package dev.dkssweep.dks.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.dks.exception.ErrorKind;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationsTest {

  static Stream<Activation> all() {
    return Stream.concat(
        Activations.names().stream().map(Activations::byName),
        Stream.of(
            new LeakyRelu(0.3),
            CustomActivation.smooth("cube", x -> x * x * x, x -> 3 * x * x, x -> 6 * x)));
  }

  @Test
  void catalogueHasTheSixteenReferenceNames() {
    assertThat(Activations.names())
        .containsExactly(
            "tanh",
            "sigmoid",
            "erf",
            "relu",
            "softplus",
            "elu",
            "selu",
            "swish",
            "gelu",
            "gelu_exact",
            "bentid",
            "atan",
            "asinh",
            "square",
            "leaky_relu",
            "softsign");
    assertThat(Activations.names())
        .allSatisfy(n -> assertThat(Activations.byName(n).id()).isEqualTo(n));
  }

  /** Central differences with step 1e-5: truncation ~1e-10 x phi''', rounding ~1e-11. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void derivativesMatchFiniteDifferences(Activation a) {
    double h = 1e-5;
    for (double x = -4.1; x <= 4.1; x += 0.173) {
      if (nearKink(a, x, 2 * h)) {
        continue;
      }
      double d1 = (a.value(x + h) - a.value(x - h)) / (2 * h);
      double d2 = (a.d1(x + h) - a.d1(x - h)) / (2 * h);
      assertThat(a.d1(x)).as("%s'(%s)", a.id(), x).isCloseTo(d1, within(1e-7 * (1 + Math.abs(d1))));
      assertThat(a.d2(x))
          .as("%s''(%s)", a.id(), x)
          .isCloseTo(d2, within(1e-7 * (1 + Math.abs(d2))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("all")
  void vectorisedEvaluationEqualsPointwise(Activation a) {
    double[] x = {-3.5, -1, -1e-3, 0, 2e-3, 0.7, 5};
    double[] v = new double[x.length];
    double[] d1 = new double[x.length];
    double[] d2 = new double[x.length];
    a.evaluate(x, x.length, v, d1, d2);
    for (int i = 0; i < x.length; i++) {
      assertThat(v[i]).isCloseTo(a.value(x[i]), within(1e-15));
      assertThat(d1[i]).isCloseTo(a.d1(x[i]), within(1e-15));
      assertThat(d2[i]).isCloseTo(a.d2(x[i]), within(1e-15));
    }
  }

  @Test
  void kinksAndJumpsAreDeclared() {
    assertThat(StandardActivation.RELU.kinks()).containsExactly(0);
    assertThat(StandardActivation.RELU.firstDerivativeJumps()).isTrue();
    assertThat(StandardActivation.SELU.firstDerivativeJumps()).isTrue();
    assertThat(StandardActivation.ELU.firstDerivativeJumps()).isFalse();
    assertThat(StandardActivation.ELU.kinks()).containsExactly(0);
    assertThat(StandardActivation.SOFTSIGN.kinks()).containsExactly(0);
    assertThat(new LeakyRelu(0.2).firstDerivativeJumps()).isTrue();
    assertThat(new LeakyRelu(1).firstDerivativeJumps()).isFalse();
    assertThat(StandardActivation.TANH.kinks()).isEmpty();
  }

  @Test
  void valuesAtKnownPoints() {
    assertThat(StandardActivation.SELU.value(1)).isEqualTo(StandardActivation.SELU_LAMBDA);
    assertThat(StandardActivation.GELU_EXACT.value(1))
        .isCloseTo(0.8413447460685429, within(1e-15)); // Phi(1)
    assertThat(StandardActivation.SOFTPLUS.value(0)).isCloseTo(Math.log(2), within(1e-16));
    assertThat(StandardActivation.SOFTPLUS.value(-800)).isEqualTo(0); // no overflow
    assertThat(StandardActivation.SIGMOID.value(-800)).isEqualTo(0);
    assertThat(StandardActivation.SIGMOID.d1(800)).isEqualTo(0);
    assertThat(StandardActivation.GELU.value(1))
        .isCloseTo(0.8411919906082768, within(1e-15)); // tanh approximation
    assertThat(Activations.byName("leaky_relu").value(-1)).isEqualTo(-0.01);
  }

  @Test
  void sigmoidIsARescaledTanh() {
    for (double x = -3; x <= 3; x += 0.5) {
      assertThat(StandardActivation.SIGMOID.value(x))
          .isCloseTo((1 + Math.tanh(x / 2)) / 2, within(1e-15));
    }
  }

  @Test
  void unknownNamesAreInvalidArguments() {
    assertThatThrownBy(() -> Activations.byName("mish"))
        .isInstanceOfSatisfying(
            InvalidArgumentException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
              assertThat(e.field()).isEqualTo("activation");
              assertThat(e.getMessage()).contains("mish").contains("tanh");
            });
    assertThat(Activations.byName(" TANH ")).isSameAs(StandardActivation.TANH);
    assertThat(Activations.byName("silu")).isSameAs(StandardActivation.SWISH);
  }

  @Test
  void transformedActivationAppliesTheChainRule() {
    TransformedActivation t = new TransformedActivation(StandardActivation.TANH, -0.7, 0.3, 2, 0.1);
    double x = 0.4;
    double u = -0.7 * x + 0.3;
    assertThat(t.value(x)).isCloseTo(2 * (Math.tanh(u) + 0.1), within(1e-15));
    assertThat(t.d1(x)).isCloseTo(2 * -0.7 * (1 - Math.tanh(u) * Math.tanh(u)), within(1e-15));
    assertThat(t.canonical().alpha()).isEqualTo(0.7);
    assertThat(t.negativeSlope()).isNaN();
    assertThat(new TransformedActivation(new LeakyRelu(0.2), 1, 0, 1, 0).negativeSlope())
        .isEqualTo(0.2);
  }

  @Test
  void customActivationKeepsItsKinksSorted() {
    CustomActivation c =
        new CustomActivation(
            "hinge",
            x -> Math.abs(x - 1),
            x -> x > 1 ? 1 : -1,
            x -> 0,
            new double[] {1, -2},
            true,
            false);
    assertThat(c.kinks()).containsExactly(-2, 1);
    assertThatThrownBy(() -> CustomActivation.smooth(" ", x -> x, x -> 1, x -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static boolean nearKink(Activation a, double x, double h) {
    return Arrays.stream(a.kinks()).anyMatch(k -> Math.abs(x - k) < h);
  }
}
