package dev.dkssweep.sweep.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.StrategyType;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The trial count is checked in arithmetic that cannot wrap around: a grid whose cells times seeds
 * overflow a long used to pass validation and then exhaust the memory expanding it.
 */
class SweepSizeTest {

  static SweepSpec spec(
      List<Integer> depths,
      List<Integer> widths,
      List<Double> rates,
      int seeds,
      SweepSpec.Strategy strategy) {
    return new SweepSpec(
        new SweepSpec.Objective("val_accuracy", Goal.MAXIMIZE, null, null),
        null,
        new SweepSpec.SearchSpace(
            List.of(Method.DKS, Method.TAT, Method.STANDARD, Method.ORTHOGONAL),
            List.of("tanh", "softplus", "sigmoid", "erf", "swish", "gelu", "atan", "asinh"),
            depths,
            widths,
            SweepSpec.LearningRates.of(rates),
            List.of("synthetic-clusters", "synthetic-teacher", "mnist", "fashion-mnist"),
            null,
            seeds,
            null),
        null,
        List.of("resnet-bn"),
        strategy,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void aGridTooLargeToCountInALongIsRefused() {
    List<Integer> depths = IntStream.rangeClosed(1, 10_000).boxed().toList();
    List<Integer> widths = IntStream.rangeClosed(1, 65_536).boxed().toList();
    List<Double> rates = IntStream.rangeClosed(1, 100_000).mapToObj(i -> i * 1e-7).toList();
    // 4 datasets x 8 activations x 10^4 depths x 5 arms x 65536 widths x 10^5 rates x 1000 seeds
    SweepSpec huge = spec(depths, widths, rates, 1_000, null);

    List<SpecViolation> v =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> SweepValidator.validate(huge));

    assertThat(v)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.field()).isEqualTo("space");
              assertThat(x.message()).contains("more than " + SweepValidator.MAX_TRIALS);
            });
  }

  @Test
  void randomSamplesTimesSeedsAreBoundedToo() {
    SweepSpec many =
        spec(
            List.of(10, 50),
            List.of(128),
            List.of(0.01, 0.001),
            2,
            new SweepSpec.Strategy(StrategyType.RANDOM, SweepValidator.MAX_TRIALS, 7L, null));

    List<SpecViolation> v =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> SweepValidator.validate(many));

    assertThat(v)
        .singleElement()
        .satisfies(x -> assertThat(x.message()).contains("draw fewer samples or use fewer seeds"));
  }
}
