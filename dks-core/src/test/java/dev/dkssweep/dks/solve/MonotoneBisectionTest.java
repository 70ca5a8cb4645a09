package dev.dkssweep.dks.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MonotoneBisectionTest {

  @Test
  void reproducesTheReferenceLocalSlopeBitForBit() {
    // docs/maths.md 5.7: psi for zeta 1.5, L = 5 is 1.0844717711210252 (not 1.5^(1/5))
    double psi =
        MonotoneBisection.REFERENCE
            .solve(x -> Math.pow(x, 5), 1.5, 1.1, 1, Double.POSITIVE_INFINITY)
            .orElseThrow();
    assertThat(psi).isEqualTo(1.0844717711210252);
  }

  @Test
  void doublesWhileTheUpperEndIsOpen() {
    double x =
        MonotoneBisection.REFERENCE
            .solve(v -> v, 1000, 0.1, 0, Double.POSITIVE_INFINITY)
            .orElseThrow();
    assertThat(Math.abs(x - 1000)).isLessThan(1e-8);
  }

  @Test
  void runsOutOfEvaluationsOnAnUnreachableTarget() {
    assertThat(MonotoneBisection.REFERENCE.solve(v -> v / 2, 0.9, 0.5, 0, 1)).isEmpty();
  }

  @Test
  void rejectsInvalidSettings() {
    assertThatThrownBy(() -> new MonotoneBisection(0, 10)).hasMessageContaining("tolerance");
  }
}
