package dev.dkssweep.dks.init;

/**
 * Input normalisation so that every input has q = 1 (docs/maths.md section 8): per example for MLPs
 * (mean square over features = 1), per location for conv nets ("Per-Location Normalisation": mean
 * square over channels = 1 at each pixel).
 *
 * <p>An all-zero vector (or location) has no direction and is left as it is. With a single input
 * channel PLN would map every pixel to +-1 and erase the image; {@link #perLocation} refuses that
 * case and per-example normalisation should be used instead (how the DKS paper treats very few
 * channels is an open point, docs/maths.md section 13).
 */
public final class Pln {

  private Pln() {}

  /** Scales x in place to mean square 1; returns x. */
  public static double[] perExample(double[] x) {
    double ms = 0;
    for (double v : x) {
      ms += v * v;
    }
    ms /= x.length;
    if (ms > 0) {
      double s = 1 / Math.sqrt(ms);
      for (int i = 0; i < x.length; i++) {
        x[i] *= s;
      }
    }
    return x;
  }

  /**
   * Normalises an image stored channel-major, [channels][height][width] flattened, in place.
   *
   * @throws IllegalArgumentException for fewer than 2 channels or a size mismatch
   */
  public static double[] perLocation(double[] chw, int channels, int height, int width) {
    if (channels < 2) {
      throw new IllegalArgumentException(
          "per-location normalisation needs at least 2 channels (got "
              + channels
              + "): with one channel it maps every pixel to +-1; normalise per example instead");
    }
    if (chw.length != channels * height * width) {
      throw new IllegalArgumentException(
          "expected " + channels * height * width + " values, got " + chw.length);
    }
    int plane = height * width;
    for (int p = 0; p < plane; p++) {
      double ms = 0;
      for (int c = 0; c < channels; c++) {
        double v = chw[c * plane + p];
        ms += v * v;
      }
      ms /= channels;
      if (ms > 0) {
        double s = 1 / Math.sqrt(ms);
        for (int c = 0; c < channels; c++) {
          chw[c * plane + p] *= s;
        }
      }
    }
    return chw;
  }
}
