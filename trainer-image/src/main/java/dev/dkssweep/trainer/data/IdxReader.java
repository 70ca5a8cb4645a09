package dev.dkssweep.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not: a magic number {@code
 * 0x00 0x00 type ndims}, big-endian dimension sizes, then the data. Only unsigned bytes (type 0x08)
 * are used by these data sets.
 */
public final class IdxReader {

  /** Dimensions and the raw unsigned bytes. */
  public record Idx(int[] dims, byte[] data) {}

  private IdxReader() {}

  public static Idx read(Path file) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
      return read(new DataInputStream(in), file);
    }
  }

  private static Idx read(DataInputStream in, Path file) throws IOException {
    int magic = in.readInt();
    int type = (magic >> 8) & 0xff;
    int rank = magic & 0xff;
    if ((magic >>> 16) != 0 || type != 0x08 || rank < 1 || rank > 4) {
      throw new IOException(
          file + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
    }
    int[] dims = new int[rank];
    long size = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = in.readInt();
      if (dims[i] < 0) {
        throw new IOException(file + ": negative dimension " + dims[i]);
      }
      size *= dims[i];
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IOException(file + ": too large (" + size + " values)");
    }
    byte[] data = new byte[(int) size];
    try {
      in.readFully(data);
    } catch (java.io.EOFException e) {
      throw new IOException(file + ": truncated, expected " + size + " values", e);
    }
    return new Idx(dims, data);
  }

  /** Images scaled to [0, 1] and their labels, checked for matching counts. */
  public static Examples examples(Path images, Path labels, int classes) throws IOException {
    Idx img = read(images);
    Idx lab = read(labels);
    if (img.dims().length < 2 || lab.dims().length != 1 || img.dims()[0] != lab.dims()[0]) {
      throw new IOException(
          images
              + " and "
              + labels
              + " do not match: "
              + img.dims()[0]
              + " images, "
              + lab.dims()[0]
              + " labels");
    }
    int n = img.dims()[0];
    int features = img.data().length / Math.max(n, 1);
    float[] x = new float[img.data().length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (img.data()[i] & 0xff) / 255f;
    }
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = lab.data()[i] & 0xff;
      if (y[i] >= classes) {
        throw new IOException(labels + ": label " + y[i] + " at " + i + " is not below " + classes);
      }
    }
    return new Examples(x, y, features, classes);
  }
}
