package dev.dkssweep.dks.solve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Standard test problems of Moré, Garbow and Hillstrom (ACM TOMS 7, 1981). */
class PowellHybridTest {

  @Test
  void solvesRosenbrocksSystem() {
    VectorFunction f =
        (x, out) -> {
          out[0] = 1 - x[0];
          out[1] = 10 * (x[1] - x[0] * x[0]);
        };
    HybridResult r = PowellHybrid.scipyDefaults(2).solve(f, new double[] {-1.2, 1});
    assertThat(r.converged()).isTrue();
    assertThat(r.x()[0]).isCloseTo(1, within(1e-10));
    assertThat(r.x()[1]).isCloseTo(1, within(1e-10));
    assertThat(r.maxAbsResidual()).isLessThan(1e-10);
  }

  @Test
  void solvesPowellsBadlyScaledSystem() {
    VectorFunction f =
        (x, out) -> {
          out[0] = 1e4 * x[0] * x[1] - 1;
          out[1] = Math.exp(-x[0]) + Math.exp(-x[1]) - 1.0001;
        };
    HybridResult r = PowellHybrid.scipyDefaults(2).solve(f, new double[] {0, 1});
    assertThat(r.converged()).isTrue();
    assertThat(r.x()[0]).isCloseTo(1.098159e-5, within(1e-10));
    assertThat(r.x()[1]).isCloseTo(9.106146, within(1e-5));
  }

  @Test
  void solvesHelicalValleyInThreeDimensions() {
    VectorFunction f =
        (x, out) -> {
          double theta = Math.atan2(x[1], x[0]) / (2 * Math.PI);
          out[0] = 10 * (x[2] - 10 * theta);
          out[1] = 10 * (Math.hypot(x[0], x[1]) - 1);
          out[2] = x[2];
        };
    HybridResult r = PowellHybrid.scipyDefaults(3).solve(f, new double[] {-1, 0, 0});
    assertThat(r.converged()).isTrue();
    assertThat(r.x()).containsExactly(new double[] {1, 0, 0}, within(1e-8));
  }

  @Test
  void reportsAnExhaustedBudgetAsNotConverged() {
    VectorFunction f = (x, out) -> out[0] = x[0] * x[0] + 1; // no real root
    HybridResult r = new PowellHybrid(1e-10, 30).solve(f, new double[] {3});
    assertThat(r.converged()).isFalse();
    assertThat(r.evaluations()).isLessThanOrEqualTo(31);
    assertThat(r.maxAbsResidual()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void nonFiniteResidualsNeverPassAsConverged() {
    VectorFunction f = (x, out) -> out[0] = Double.NaN;
    HybridResult r = PowellHybrid.scipyDefaults(1).solve(f, new double[] {1});
    assertThat(r.converged() && r.maxAbsResidual() < 1).isFalse();
    assertThat(r.maxAbsResidual()).isInfinite();
  }

  @Test
  void rejectsInvalidSettings() {
    assertThatThrownBy(() -> new PowellHybrid(-1, 10)).hasMessageContaining("xtol");
    assertThatThrownBy(() -> new PowellHybrid(1e-8, 0)).hasMessageContaining("maxEvaluations");
  }
}
