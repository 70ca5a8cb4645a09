package dev.dkssweep.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is not a sweep file is refused with what it is, before it can fill the memory. */
class SpecFilesTest {

  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  final PrintStream printed = new PrintStream(err, true, StandardCharsets.UTF_8);

  String read(Path file) {
    assertThat(SpecFiles.read(file, printed)).as("no document").isNull();
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anOversizedFileIsRefusedWithoutReadingItAll(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.write(big, new byte[SpecFiles.MAX_BYTES + 1]);
    assertThat(read(big)).contains("big.yaml is larger than 1024 KiB");
  }

  @Test
  void anEndlessDeviceIsRefusedQuickly() {
    String message =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> read(Path.of("/dev/zero")));
    assertThat(message).contains("/dev/zero is larger than");
  }

  @Test
  void aFileThatIsNotUtf8IsNamedAsSuch(@TempDir Path dir) throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(
        latin1,
        "objective: {metric: val_accuracy, goal: maximize} # caf\u00e9\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThat(read(latin1)).contains("latin1.yaml is not UTF-8 text; save it as UTF-8");
  }
}
