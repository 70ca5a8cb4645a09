package dev.dkssweep.operator.cli;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a sweep file and prints what is wrong with it, field by field. */
final class SpecFiles {

  private SpecFiles() {}

  /** The document, or null after printing every problem to {@code err}. */
  static SweepDocuments.SweepDocument read(Path file, PrintStream err) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      err.println("error: " + file + ": no such file");
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
