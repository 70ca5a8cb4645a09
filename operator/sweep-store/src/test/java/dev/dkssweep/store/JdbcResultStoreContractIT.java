package dev.dkssweep.store;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.ResultStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
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

  @Override
  protected List<EventReason> trialEventReasons(ResultStore ignored, String uid, int trialIndex) {
    List<EventReason> reasons = new ArrayList<>();
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                """
                SELECT e.reason FROM events e
                  JOIN sweeps s ON s.id = e.sweep_id
                  JOIN trials t ON t.id = e.trial_id
                 WHERE s.uid = ? AND t.trial_index = ?
                 ORDER BY e.id
                """)) {
      ps.setString(1, uid);
      ps.setInt(2, trialIndex);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          reasons.add(EventReason.ofCode(rs.getString(1)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return reasons;
  }
}
