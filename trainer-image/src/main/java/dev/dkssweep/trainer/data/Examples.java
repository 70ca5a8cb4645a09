package dev.dkssweep.trainer.data;

/**
 * A labelled data set in memory: {@code size} examples of {@code features} values each (row-major
 * in {@code x}), labels in [0, classes).
 */
public record Examples(float[] x, int[] labels, int features, int classes) {

  public Examples {
    if (x.length != (long) labels.length * features) {
      throw new IllegalArgumentException(
          "x has " + x.length + " values, expected " + labels.length + " x " + features);
    }
  }

  public int size() {
    return labels.length;
  }

  /** The examples at the given indices, in that order. */
  public Examples select(int[] indices) {
    float[] sx = new float[indices.length * features];
    int[] sl = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(x, indices[i] * features, sx, i * features, features);
      sl[i] = labels[indices[i]];
    }
    return new Examples(sx, sl, features, classes);
  }

  /** The first n examples. */
  public Examples head(int n) {
    int[] idx = new int[Math.min(n, size())];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    return select(idx);
  }
}
