package dev.dkssweep.trainer.check;

import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.kernel.HermiteCMap;
import dev.dkssweep.dks.kernel.LocalMaps;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Before training: feed a batch, measure each activation layer's q (mean square activation,
 * averaged over examples) and c (cosine similarity of consecutive example pairs, averaged), and
 * compare with dks-core's prediction, q_l = Q(q_{l-1}) from the measured input q and c_l =
 * C(c_{l-1}) from the measured input c (docs/maths.md section 3; exact for infinite width).
 */
public final class InitKernelCheck {

  private InitKernelCheck() {}

  /**
   * @param activations the outputs of the shaped activation layers for {@code batch}, in order
   *     (rank 2, or rank 4 for convolutions: each example's feature maps are flattened, so c is the
   *     cosine of whole maps)
   */
  public static TrialSummary.InitCheck run(
      INDArray batch, List<INDArray> activations, TransformedActivation transform) {
    int depth = activations.size();
    LocalMaps maps = new LocalMaps(transform, GaussianQuadrature.accurate());
    HermiteCMap c = maps.series();
    double[] input = qc(batch);
    double q = input[0];
    double cc = input[1];
    List<TrialSummary.LayerKernel> layers = new ArrayList<>();
    double maxQ = 0;
    double maxC = 0;
    for (int l = 1; l <= depth; l++) {
      double[] measured = qc(activations.get(l - 1));
      q = maps.q(q);
      cc = c.c(Math.max(-1, Math.min(1, cc)));
      layers.add(new TrialSummary.LayerKernel(l, measured[0], q, measured[1], cc));
      maxQ = Math.max(maxQ, Math.abs(measured[0] - q));
      maxC = Math.max(maxC, Math.abs(measured[1] - cc));
    }
    return new TrialSummary.InitCheck(input[1], layers, maxQ, maxC);
  }

  /** q and mean pairwise cosine of rows (pairs 0-1, 2-3, ...). */
  static double[] qc(INDArray a) {
    INDArray x = a.castTo(DataType.DOUBLE);
    if (x.rank() == 4) {
      x = x.permute(0, 2, 3, 1).dup('c').reshape(x.size(0), x.length() / x.size(0));
    }
    long rows = x.rows();
    long cols = x.columns();
    double[] v = x.dup('c').data().asDouble();
    double q = 0;
    for (double d : v) {
      q += d * d;
    }
    q /= v.length;
    double c = 0;
    int pairs = 0;
    for (long r = 0; r + 1 < rows; r += 2) {
      double dot = 0;
      double n1 = 0;
      double n2 = 0;
      for (long k = 0; k < cols; k++) {
        double a1 = v[(int) (r * cols + k)];
        double a2 = v[(int) ((r + 1) * cols + k)];
        dot += a1 * a2;
        n1 += a1 * a1;
        n2 += a2 * a2;
      }
      if (n1 > 0 && n2 > 0) {
        c += dot / Math.sqrt(n1 * n2);
        pairs++;
      }
    }
    return new double[] {q, pairs == 0 ? Double.NaN : c / pairs};
  }
}
