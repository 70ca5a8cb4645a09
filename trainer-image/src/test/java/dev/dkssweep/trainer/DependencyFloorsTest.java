package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The libraries DL4J brings in old versions run at or above the version that fixed their advisories
 * (docs/dependency-review.md): read from the jar each class is loaded from, the one the trainer's
 * class path holds.
 */
class DependencyFloorsTest {

  @ParameterizedTest(name = "{0} >= {1}")
  @CsvSource({
    "org.apache.commons.compress.archivers.ArchiveStreamFactory, 1.26.0",
    "org.apache.commons.io.IOUtils, 2.14.0",
    "org.apache.commons.lang3.ClassUtils, 3.18.0",
    "org.apache.commons.net.ftp.FTPClient, 3.9.0",
    "com.google.gson.Gson, 2.8.9",
    "org.apache.commons.codec.binary.Base64, 1.14"
  })
  void aFixedVersionIsOnTheClassPath(String className, String floor)
      throws ClassNotFoundException, IOException, URISyntaxException {
    Class<?> c = Class.forName(className, false, getClass().getClassLoader());
    Path jar = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    String version;
    try (JarFile j = new JarFile(jar.toFile())) {
      version = j.getManifest().getMainAttributes().getValue("Bundle-Version");
      if (version == null) {
        version = j.getManifest().getMainAttributes().getValue("Implementation-Version");
      }
    }
    assertThat(version).as("version of %s (%s)", className, jar.getFileName()).isNotNull();
    assertThat(compare(version, floor))
        .as("%s is %s, below %s", jar.getFileName(), version, floor)
        .isGreaterThanOrEqualTo(0);
  }

  /** Compares dotted numeric versions, ignoring qualifiers. */
  static int compare(String a, String b) {
    String[] x = a.split("[.\\-]");
    String[] y = b.split("[.\\-]");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? number(x[i]) : 0;
      int q = i < y.length ? number(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private static int number(String s) {
    String digits = s.replaceAll("\\D.*", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }
}
