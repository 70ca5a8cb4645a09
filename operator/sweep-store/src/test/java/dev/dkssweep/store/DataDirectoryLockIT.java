package dev.dkssweep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process per data directory: a second start while the first runs is refused, naming the
 * holder, and the first database keeps answering (it used to be stopped as an "orphan", because a
 * postmaster's parent is init, not the Java process that started it).
 */
class DataDirectoryLockIT {

  static int one(EmbeddedDatabase db) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aSecondStartIsRefusedAndTheFirstNeverNotices(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("postgres");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(data)) {
      first.describeOwner("dks-sweep run quick, dashboard http://127.0.0.1:8765/");

      assertThatThrownBy(() -> EmbeddedDatabase.start(data))
          .isInstanceOf(DataDirectoryInUseException.class)
          .hasMessageContaining("in use by another process")
          .hasMessageContaining("dashboard http://127.0.0.1:8765/")
          .hasMessageContaining("--data-dir");

      assertThat(one(first)).as("the first database still answers").isEqualTo(1);
    }
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data)) {
      assertThat(one(again)).as("free again once the first has stopped").isEqualTo(1);
    }
  }
}
