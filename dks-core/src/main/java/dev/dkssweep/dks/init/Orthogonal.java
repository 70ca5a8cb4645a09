package dev.dkssweep.dks.init;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.random.RandomGenerator;
import org.hipparchus.random.Well19937c;

/** Haar-uniform orthogonal matrices: QR of a Gaussian matrix with R's diagonal signs folded in. */
final class Orthogonal {

  private Orthogonal() {}

  /**
   * An rows x cols matrix with orthonormal rows (rows <= cols) or orthonormal columns (rows >=
   * cols), uniformly distributed, as {@code double[rows][cols]}.
   */
  static double[][] haar(int rows, int cols, long seed) {
    int tall = Math.max(rows, cols);
    int wide = Math.min(rows, cols);
    RandomGenerator rng = new Well19937c(seed);
    double[][] g = new double[tall][wide];
    for (int i = 0; i < tall; i++) {
      for (int j = 0; j < wide; j++) {
        g[i][j] = rng.nextGaussian();
      }
    }
    QRDecomposition qr = new QRDecomposition(MatrixUtils.createRealMatrix(g));
    RealMatrix q = qr.getQ();
    RealMatrix r = qr.getR();
    double[][] m = new double[rows][cols];
    for (int j = 0; j < wide; j++) {
      double sign = r.getEntry(j, j) < 0 ? -1 : 1;
      for (int i = 0; i < tall; i++) {
        double v = sign * q.getEntry(i, j);
        if (rows >= cols) {
          m[i][j] = v;
        } else {
          m[j][i] = v;
        }
      }
    }
    return m;
  }
}
