package dev.dkssweep.dks.solve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.dks.solve.StartPoints.Unknown;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Check values from docs/maths.md 5.4 (numpy's RandomState(123)). */
class StartPointsTest {

  @Test
  void dksSmoothStartsWithTheGridThenNumpysRandomPoints() {
    List<double[]> p = StartPoints.of(List.of(Unknown.INPUT_SCALE, Unknown.INPUT_SHIFT), 50, 123);
    assertThat(p).hasSize(50);
    assertThat(p.subList(0, 6))
        .containsExactly(
            new double[] {1, 0},
            new double[] {1, 1},
            new double[] {1, -1},
            new double[] {0.1, 0},
            new double[] {0.1, 1},
            new double[] {0.1, -1});
    assertThat(p.get(6)).containsExactly(1.3929383711957233, -1.2831639902977232);
    assertThat(p.get(7)).containsExactly(0.4537029071284062, 0.3078886144973474);
    assertThat(p.get(8)).containsExactly(1.4389379395711261, -0.46136123925323425);
  }

  @Test
  void tatSmoothHasEighteenGridPoints() {
    List<Unknown> u = List.of(Unknown.INPUT_SCALE, Unknown.INPUT_SHIFT, Unknown.OUTPUT_SHIFT);
    List<double[]> p = StartPoints.of(u, 50, 123);
    assertThat(StartPoints.gridSize(u)).isEqualTo(18);
    assertThat(p.get(3)).containsExactly(1, 1, 0);
    assertThat(p.get(18))
        .containsExactly(1.3929383711957233, -1.2831639902977232, -1.6388912786147813);
    assertThat(p.get(19))
        .containsExactly(1.1026295381657825, 1.3168138187133787, -0.46136123925323425);
  }

  @Test
  void leakyReluAndReluStarts() {
    List<double[]> lrelu =
        StartPoints.of(List.of(Unknown.NEGATIVE_SLOPE, Unknown.INPUT_SHIFT), 50, 123);
    assertThat(lrelu.get(0)).containsExactly(0, 0);
    assertThat(lrelu.get(6)).containsExactly(0.6964691855978616, -1.2831639902977232);
    List<double[]> relu = StartPoints.of(List.of(Unknown.INPUT_SCALE), 50, 123);
    assertThat(relu.get(2)).containsExactly(1.3929383711957233);
    assertThat(relu.get(3)).containsExactly(0.5722786699007589);
    assertThat(relu.get(4)).containsExactly(0.4537029071284062);
  }
}
