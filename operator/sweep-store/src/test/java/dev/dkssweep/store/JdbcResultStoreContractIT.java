package dev.dkssweep.store;

import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.ResultStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The JDBC store on a real PostgreSQL keeps the contract the round's in-memory store is tested
 * against, so what the round's unit tests show holds for the system of record.
 */
class JdbcResultStoreContractIT extends ResultStoreContract {

  private static EmbeddedDatabase db;
  private static JdbcResultStore store;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedDatabase.start(null);
    store = new JdbcResultStore(db.dataSource());
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Override
  protected ResultStore store() {
    return store;
  }
}
