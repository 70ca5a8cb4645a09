package dev.dkssweep.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir Path dir;

  @Test
  void readsPlainAndGzippedFiles() throws IOException {
    byte[] pixels = new byte[3 * 2 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 20);
    }
    IdxFiles.write(dir.resolve("img"), new int[] {3, 2, 2}, pixels, false);
    IdxFiles.write(dir.resolve("lab.gz"), new int[] {3}, new byte[] {0, 9, (byte) 4}, true);
    Examples e = IdxReader.examples(dir.resolve("img"), dir.resolve("lab.gz"), 10);
    assertThat(e.size()).isEqualTo(3);
    assertThat(e.features()).isEqualTo(4);
    assertThat(e.labels()).containsExactly(0, 9, 4);
    assertThat(e.x()[5]).isEqualTo(100 / 255f);
  }

  @Test
  void rejectsMismatchedTruncatedAndForeignFiles() throws IOException {
    IdxFiles.write(dir.resolve("img"), new int[] {3, 2, 2}, new byte[12], false);
    IdxFiles.write(dir.resolve("lab"), new int[] {2}, new byte[2], false);
    assertThatThrownBy(() -> IdxReader.examples(dir.resolve("img"), dir.resolve("lab"), 10))
        .hasMessageContaining("do not match");
    IdxFiles.write(dir.resolve("short"), new int[] {5, 2}, new byte[4], false);
    assertThatThrownBy(() -> IdxReader.read(dir.resolve("short")))
        .hasMessageContaining("truncated");
    Files.writeString(dir.resolve("text"), "hello world, not idx");
    assertThatThrownBy(() -> IdxReader.read(dir.resolve("text")))
        .hasMessageContaining("not an unsigned-byte IDX");
    IdxFiles.write(dir.resolve("badlab"), new int[] {3}, new byte[] {0, 12, 1}, false);
    assertThatThrownBy(() -> IdxReader.examples(dir.resolve("img"), dir.resolve("badlab"), 10))
        .hasMessageContaining("label 12");
  }

  @Test
  void missingDataSetsSayHowToInstallThem() {
    assertThatThrownBy(
            () ->
                Datasets.load(
                    "fashion-mnist",
                    dir.resolve("none").toString(),
                    null,
                    null,
                    dir,
                    dir.resolve("system"),
                    1))
        .hasMessageContaining("apt-get install dataset-fashion-mnist")
        .hasMessageContaining("data.path");
  }
}
