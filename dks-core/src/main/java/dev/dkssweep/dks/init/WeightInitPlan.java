package dev.dkssweep.dks.init;

/**
 * How to initialise one layer's weights, framework-neutral and reproducible: the same plan gives
 * the same weights on every machine (docs/maths.md section 7). Biases are always zero.
 */
public sealed interface WeightInitPlan
    permits ScaledUniformOrthogonal, DeltaOrthogonal, ScaledGaussian {

  long seed();

  /** The dimensions of {@link #sample()}, outermost first. */
  int[] shape();

  /** The weights, flattened row-major in the layout of {@link #shape()}. */
  double[] sample();

  /**
   * A per-layer seed derived from a trial seed and the layer index (SplitMix64 finaliser), so that
   * layers draw independent streams.
   */
  static long layerSeed(long seed, int layer) {
    long z = seed + 0x9E3779B97F4A7C15L * (layer + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
