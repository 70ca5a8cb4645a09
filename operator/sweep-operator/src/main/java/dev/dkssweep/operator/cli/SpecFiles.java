package dev.dkssweep.operator.cli;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a sweep file and prints what is wrong with it, field by field. */
final class SpecFiles {

  private SpecFiles() {}

  /** A sweep file is a few kilobytes; anything beyond this is not one (a device, a stream). */
  static final int MAX_BYTES = SweepDocuments.MAX_CHARS;

  /** The document, or null after printing every problem to {@code err}. */
  static SweepDocuments.SweepDocument read(Path file, PrintStream err) {
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        err.println(
            "error: "
                + file
                + " is larger than "
                + MAX_BYTES / 1024
                + " KiB; a sweep file is a few kB (is it the right file?)");
        return null;
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (NoSuchFileException e) {
      err.println("error: " + file + ": no such file");
      return null;
    } catch (CharacterCodingException e) {
      err.println("error: " + file + " is not UTF-8 text; save it as UTF-8");
      return null;
    } catch (IOException e) {
      err.println("error: cannot read " + file + ": " + e.getMessage());
      return null;
    }
    String base = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    try {
      return SweepDocuments.read(text, base);
    } catch (InvalidSpecException e) {
      err.println(
          "error: "
              + file
              + " is not a valid sweep ("
              + e.violations().size()
              + (e.violations().size() == 1 ? " problem" : " problems")
              + "):");
      for (SpecViolation v : e.violations()) {
        err.println("  " + v.field() + ": " + v.message());
      }
      err.println("The fields are documented in docs/sweep-spec.md.");
      return null;
    }
  }
}
