package dev.dkssweep.operator.local;

import dev.dkssweep.operator.store.EmbeddedDatabase;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The database of {@code run} and {@code serve} on one machine, configured before Quarkus starts:
 * the embedded PostgreSQL kept in {@code <data>/postgres}, or the JDBC URL given (credentials from
 * $DKS_DB_USER and $DKS_DB_PASSWORD). Also points the trial-log API at {@code <data>/runs}.
 */
final class LocalDatabase {

  private LocalDatabase() {}

  /**
   * @param url an external PostgreSQL, or null/blank for the embedded one
   * @return the embedded database, to close after the application, or null for an external one
   */
  static EmbeddedDatabase configure(Path data, String url) throws IOException {
    EmbeddedDatabase db = null;
    if (url == null || url.isBlank()) {
      System.err.println(
          "starting the embedded PostgreSQL in " + data.resolve("postgres") + " ...");
      db = EmbeddedDatabase.start(data.resolve("postgres"));
      url = db.jdbcUrl();
      System.setProperty("quarkus.datasource.username", "postgres");
    } else {
      setIfPresent("quarkus.datasource.username", System.getenv("DKS_DB_USER"));
      setIfPresent("quarkus.datasource.password", System.getenv("DKS_DB_PASSWORD"));
    }
    System.setProperty("quarkus.datasource.jdbc.url", url);
    System.setProperty("dks.runs-dir", data.resolve("runs").toAbsolutePath().toString());
    return db;
  }

  private static void setIfPresent(String key, String value) {
    if (value != null && !value.isBlank()) {
      System.setProperty(key, value);
    }
  }
}
