package dev.dkssweep.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Landed migrations are never edited (a database that ran them would refuse the new checksum):
 * their SHA-256 is pinned in {@code landed-migrations.sha256}. A change to the schema is a new
 * migration, named {@code V<n>__<verb>_<noun>.sql} with the next number.
 */
class LandedMigrationsTest {

  private static final Path DIR = Path.of("src/main/resources/db/migration");
  private static final Pattern NAME = Pattern.compile("V(\\d+)__[a-z]+(_[a-z0-9]+)+\\.sql");

  @Test
  void landedMigrationsAreUnchanged() throws IOException, NoSuchAlgorithmException {
    List<String> pinned;
    try (InputStream in = getClass().getResourceAsStream("/landed-migrations.sha256")) {
      pinned = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(pinned).isNotEmpty();
    for (String line : pinned) {
      String[] parts = line.split("\\s+");
      byte[] content = Files.readAllBytes(DIR.resolve(parts[1]));
      String actual =
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      assertThat(actual)
          .as("%s was edited after it landed; add a new migration instead", parts[1])
          .isEqualTo(parts[0]);
    }
  }

  @Test
  void migrationsAreNamedAndNumberedWithoutGaps() throws IOException {
    List<String> names;
    try (Stream<Path> files = Files.list(DIR)) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(names).allMatch(n -> NAME.matcher(n).matches(), "V<n>__<verb>_<noun>.sql");
    List<Integer> versions =
        names.stream()
            .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
            .sorted()
            .toList();
    for (int i = 0; i < versions.size(); i++) {
      assertThat(versions.get(i)).isEqualTo(i + 1);
    }
  }
}
