package dev.dkssweep.trainer.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
public final class IdxFiles {

  private IdxFiles() {}

  /** An unsigned-byte IDX file with the given dimensions, gzip-compressed if asked. */
  public static void write(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(0x0800 | dims.length);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
    try (OutputStream out =
        gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(bytes.toByteArray());
    }
  }
}
