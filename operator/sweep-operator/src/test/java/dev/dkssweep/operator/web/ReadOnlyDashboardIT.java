package dev.dkssweep.operator.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.hasItem;

import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.ResultStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard on its own database user, a member of the dks_reader role that V8 creates: it
 * reads, and that user cannot write.
 */
@QuarkusTest
@QuarkusTestResource(
    value = ReadOnlyDashboardIT.ReaderDatabase.class,
    restrictToAnnotatedClass = true)
class ReadOnlyDashboardIT {

  /** An embedded PostgreSQL with a login user in dks_reader for the dashboard. */
  public static class ReaderDatabase implements QuarkusTestResourceLifecycleManager {
    static EmbeddedDatabase db;
    static String readerUrl;

    @Override
    public Map<String, String> start() {
      try {
        db = EmbeddedDatabase.start(null);
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement()) {
          s.execute("CREATE ROLE dash_reader LOGIN PASSWORD 'reader-pw' IN ROLE dks_reader");
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      readerUrl = db.jdbcUrl().replaceAll("[?&]user=[^&]*", "");
      return Map.of(
          "quarkus.datasource.jdbc.url", db.jdbcUrl(),
          "quarkus.datasource.username", "postgres",
          "dks.dashboard.datasource.jdbc-url", readerUrl,
          "dks.dashboard.datasource.username", "dash_reader",
          "dks.dashboard.datasource.password", "reader-pw");
    }

    @Override
    public void stop() {
      try {
        db.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Inject ResultStore store;

  @Test
  void readsThroughTheReaderUserWhichCannotWrite() throws SQLException {
    store.recordSweep(
        new NewSweep("ro-1", "local", "readable", 1, "{}", "val_loss", Goal.MINIMIZE));
    given().get("/api/sweeps").then().statusCode(200).body("uid", hasItem("ro-1"));
    try (Connection c = ReaderDatabase.db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE usename = 'dash_reader'")) {
      rs.next();
      assertThat(rs.getLong(1)).as("the dashboard's pool is connected as dash_reader").isPositive();
    }
    try (Connection c =
            DriverManager.getConnection(ReaderDatabase.readerUrl, "dash_reader", "reader-pw");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sweeps")) {
        rs.next();
        assertThat(rs.getLong(1)).isPositive();
      }
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM sweeps"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("permission denied");
    }
  }
}
