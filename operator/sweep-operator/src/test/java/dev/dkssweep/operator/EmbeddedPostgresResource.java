package dev.dkssweep.operator;

import dev.dkssweep.store.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** A real PostgreSQL (embedded) for {@code @QuarkusTest}s: the datasource points at it. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

  private EmbeddedDatabase db;

  /** The run directory the application reads trial logs from (local mode's layout). */
  public static java.nio.file.Path runs;

  @Override
  public Map<String, String> start() {
    try {
      db = EmbeddedDatabase.start(null);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
    }
    try {
      runs = java.nio.file.Files.createTempDirectory("dks-runs");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return Map.of(
        "quarkus.datasource.jdbc.url",
        db.jdbcUrl(),
        "quarkus.datasource.username",
        "postgres",
        "dks.ingest.token-secret",
        "a-test-secret-of-enough-length",
        "dks.runs-dir",
        runs.toString());
  }

  @Override
  public void stop() {
    try {
      if (db != null) {
        db.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
