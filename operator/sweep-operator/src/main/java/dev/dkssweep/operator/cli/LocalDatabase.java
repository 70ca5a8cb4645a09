package dev.dkssweep.operator.cli;

import dev.dkssweep.store.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The database of {@code run} and {@code serve} on one machine, set up before the application
 * starts: the embedded PostgreSQL kept in {@code <data>/postgres}, or the JDBC URL given
 * (credentials from $DKS_DB_USER and $DKS_DB_PASSWORD).
 *
 * @param data the data directory (database and trial logs)
 * @param database the embedded database, to close after the application; null for an external one
 * @param settings the application's datasource settings, and where the trial-log API finds the runs
 *     ({@code <data>/runs})
 */
record LocalDatabase(Path data, EmbeddedDatabase database, Map<String, String> settings) {

  /**
   * @param dataDir the data directory, or null for {@link #defaultDataDir()}
   * @param jdbcUrl an external PostgreSQL, or null for $DKS_DB_URL; without either (or blank), the
   *     embedded one
   */
  static LocalDatabase start(Path dataDir, String jdbcUrl) throws IOException {
    Path data = dataDir != null ? dataDir : defaultDataDir();
    String url = jdbcUrl != null ? jdbcUrl : System.getenv("DKS_DB_URL");
    Map<String, String> settings = new HashMap<>();
    EmbeddedDatabase db = null;
    if (url == null || url.isBlank()) {
      System.err.println(
          "starting the embedded PostgreSQL in " + data.resolve("postgres") + " ...");
      db = EmbeddedDatabase.start(data.resolve("postgres"));
      url = db.jdbcUrl();
      settings.put("quarkus.datasource.username", "postgres");
      settings.put("quarkus.datasource.password", db.password());
    } else {
      putIfPresent(settings, "quarkus.datasource.username", System.getenv("DKS_DB_USER"));
      putIfPresent(settings, "quarkus.datasource.password", System.getenv("DKS_DB_PASSWORD"));
    }
    settings.put("quarkus.datasource.jdbc.url", url);
    settings.put("dks.runs-dir", data.resolve("runs").toAbsolutePath().toString());
    return new LocalDatabase(data, db, Map.copyOf(settings));
  }

  /** $DKS_HOME, else $XDG_DATA_HOME/dks-sweep, else ~/.local/share/dks-sweep. */
  static Path defaultDataDir() {
    String home = System.getenv("DKS_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("dks-sweep");
  }

  /** Tells a process refused the data directory who holds it (embedded database only). */
  void describeOwner(String owner) throws IOException {
    if (database != null) {
      database.describeOwner(owner);
    }
  }

  /** Stops the embedded database, if there is one. */
  void close() throws IOException {
    if (database != null) {
      database.close();
    }
  }

  private static void putIfPresent(Map<String, String> settings, String key, String value) {
    if (value != null && !value.isBlank()) {
      settings.put(key, value);
    }
  }
}
