package dev.dkssweep.dks.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.dks.exception.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class WeightInitPlanTest {

  /** (W^T W) for W stored [rows][cols] row-major: the Gram matrix of the columns. */
  private static double gram(double[] w, int rows, int cols, int a, int b) {
    double s = 0;
    for (int r = 0; r < rows; r++) {
      s += w[r * cols + a] * w[r * cols + b];
    }
    return s;
  }

  private static double rowDot(double[] w, int cols, int a, int b) {
    double s = 0;
    for (int c = 0; c < cols; c++) {
      s += w[a * cols + c] * w[b * cols + c];
    }
    return s;
  }

  @Test
  void widerLayersGetOrthonormalColumnsScaledToPreserveQ() {
    // fanOut >= fanIn: M (out x in) has orthonormal columns times sqrt(out/in); stored as M^T
    // [in][out]
    int in = 6;
    int out = 24;
    double[] w = new ScaledUniformOrthogonal(in, out, 7).sample();
    double scale2 = (double) out / in;
    for (int a = 0; a < in; a++) {
      for (int b = 0; b < in; b++) {
        assertThat(rowDot(w, out, a, b)).isCloseTo(a == b ? scale2 : 0, within(1e-12));
      }
    }
  }

  @Test
  void narrowerLayersGetOrthonormalRowsAndUnitScale() {
    int in = 20;
    int out = 5;
    double[] w = new ScaledUniformOrthogonal(in, out, 8).sample();
    for (int a = 0; a < out; a++) {
      for (int b = 0; b < out; b++) {
        assertThat(gram(w, in, out, a, b)).isCloseTo(a == b ? 1 : 0, within(1e-12));
      }
    }
    assertThat(new ScaledUniformOrthogonal(in, out, 8).scale()).isEqualTo(1);
  }

  @Test
  void plansAreReproducibleAndSeedsMatter() {
    assertThat(new ScaledUniformOrthogonal(10, 10, 3).sample())
        .containsExactly(new ScaledUniformOrthogonal(10, 10, 3).sample());
    assertThat(new ScaledUniformOrthogonal(10, 10, 3).sample())
        .isNotEqualTo(new ScaledUniformOrthogonal(10, 10, 4).sample());
    assertThat(WeightInitPlan.layerSeed(42, 0)).isNotEqualTo(WeightInitPlan.layerSeed(42, 1));
    assertThat(WeightInitPlan.layerSeed(42, 5)).isEqualTo(WeightInitPlan.layerSeed(42, 5));
  }

  @Test
  void deltaOrthogonalPutsAnSuoMatrixOnTheCentreTapOnly() {
    DeltaOrthogonal plan = new DeltaOrthogonal(3, 5, 4, 8, 11);
    double[] hwio = plan.sample();
    double[] centre = new ScaledUniformOrthogonal(4, 8, 11).sample();
    assertThat(plan.shape()).containsExactly(3, 5, 4, 8);
    int io = 4 * 8;
    for (int h = 0; h < 3; h++) {
      for (int x = 0; x < 5; x++) {
        for (int k = 0; k < io; k++) {
          double v = hwio[(h * 5 + x) * io + k];
          assertThat(v).isEqualTo(h == 1 && x == 2 ? centre[k] : 0);
        }
      }
    }
    double[] oihw = plan.sampleOihw();
    for (int o = 0; o < 8; o++) {
      for (int i = 0; i < 4; i++) {
        assertThat(oihw[((o * 4 + i) * 3 + 1) * 5 + 2]).isEqualTo(centre[i * 8 + o]);
      }
    }
  }

  @Test
  void deltaOrthogonalNeedsOddKernels() {
    assertThatThrownBy(() -> new DeltaOrthogonal(2, 3, 4, 4, 1))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("odd");
  }

  @Test
  void scaledGaussianHasTheLeCunOrHeVariance() {
    ScaledGaussian he = new ScaledGaussian(200, 100, 9, ScaledGaussian.HE, 5);
    double[] w = he.sample();
    double ms = 0;
    for (double v : w) {
      ms += v * v;
    }
    ms /= w.length;
    // 180000 samples: the sample variance is within 1% of 2 / 1800 with overwhelming probability
    assertThat(ms).isCloseTo(2.0 / 1800, within(0.01 * 2.0 / 1800));
    assertThat(he.shape()).containsExactly(1800, 100);
  }

  @Test
  void plnNormalisesPerExampleAndPerLocation() {
    double[] x = Pln.perExample(new double[] {3, 4, 0, 0});
    assertThat(x[0] * x[0] + x[1] * x[1]).isCloseTo(4, within(1e-12));
    double[] zeros = Pln.perExample(new double[] {0, 0});
    assertThat(zeros).containsExactly(0, 0);
    // 2 channels, 1 x 2 image: location 0 = (3, 4), location 1 = (0, 2)
    double[] img = Pln.perLocation(new double[] {3, 0, 4, 2}, 2, 1, 2);
    assertThat((img[0] * img[0] + img[2] * img[2]) / 2).isCloseTo(1, within(1e-12));
    assertThat((img[1] * img[1] + img[3] * img[3]) / 2).isCloseTo(1, within(1e-12));
    assertThatThrownBy(() -> Pln.perLocation(new double[] {1, 2}, 1, 1, 2))
        .hasMessageContaining("per example");
  }
}
