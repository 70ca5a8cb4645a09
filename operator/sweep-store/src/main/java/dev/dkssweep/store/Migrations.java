package dev.dkssweep.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Applies the schema of the {@code db} module (classpath:db/migration) with Flyway. */
public final class Migrations {

  private Migrations() {}

  /** Migrates to the latest version; returns the number of migrations applied now. */
  public static int apply(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }
}
