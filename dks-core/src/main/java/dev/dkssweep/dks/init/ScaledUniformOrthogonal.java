package dev.dkssweep.dks.init;

/**
 * Scaled uniform orthogonal (SUO) initialisation of a dense layer (docs/maths.md section 7): a
 * Haar-uniform matrix M of shape fanOut x fanIn, orthonormal rows if fanOut <= fanIn and
 * orthonormal columns otherwise, times max(sqrt(fanOut / fanIn), 1). Then ||M x|| = ||x|| scaled so
 * that q is preserved exactly when fanOut >= fanIn and in expectation otherwise.
 *
 * <p>{@link #sample()} returns M transposed, shape [fanIn, fanOut]: the layout of DL4J dense
 * weights and of JAX (y = x W).
 */
public record ScaledUniformOrthogonal(int fanIn, int fanOut, long seed) implements WeightInitPlan {

  public ScaledUniformOrthogonal {
    if (fanIn < 1 || fanOut < 1) {
      throw new IllegalArgumentException(
          "fanIn and fanOut must be >= 1, got " + fanIn + " and " + fanOut);
    }
  }

  public double scale() {
    return Math.max(Math.sqrt((double) fanOut / fanIn), 1);
  }

  @Override
  public int[] shape() {
    return new int[] {fanIn, fanOut};
  }

  @Override
  public double[] sample() {
    double[][] m = Orthogonal.haar(fanOut, fanIn, seed);
    double scale = scale();
    double[] w = new double[fanIn * fanOut];
    for (int i = 0; i < fanIn; i++) {
      for (int o = 0; o < fanOut; o++) {
        w[i * fanOut + o] = scale * m[o][i];
      }
    }
    return w;
  }
}
