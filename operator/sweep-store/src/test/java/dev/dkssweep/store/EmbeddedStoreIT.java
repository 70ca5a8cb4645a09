package dev.dkssweep.store;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A real PostgreSQL (embedded, migrated) per test class and an empty store before each test. */
abstract class EmbeddedStoreIT {

  static EmbeddedDatabase db;
  static JdbcResultStore store;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedDatabase.start(null);
    store = new JdbcResultStore(db.dataSource());
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @BeforeEach
  void clean() throws Exception {
    JdbcResultStoreIT.execute(db.dataSource(), "DELETE FROM sweeps");
  }
}
