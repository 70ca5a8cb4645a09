package dev.dkssweep.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart's bundled PostgreSQL, as its init script leaves it (the chart's own {@code
 * files/init-roles.sql}, run as the superuser as the official image runs it): the application's
 * user migrates the schema as the owner of its database without being a superuser or able to create
 * roles, and the dashboard's user reads every table and writes none.
 */
class BundledDatabaseRolesIT {

  static final Path INIT = Path.of("..", "helm", "dks-sweep", "files", "init-roles.sql");

  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    // psql runs the script in database postgres until a \connect names another
    String[] parts = Files.readString(INIT).split("(?m)^\\\\connect ");
    for (int i = 0; i < parts.length; i++) {
      String database = i == 0 ? "postgres" : parts[i].lines().findFirst().orElseThrow().strip();
      String statements = i == 0 ? parts[i] : parts[i].substring(parts[i].indexOf('\n') + 1);
      try (Connection c = postgres.getDatabase("postgres", database).getConnection();
          Statement st = c.createStatement()) {
        for (String sql : statements(statements)) {
          st.execute(sql);
        }
      }
    }
    Flyway flyway =
        Flyway.configure().dataSource(as("dks")).locations("classpath:db/migration").load();
    assertThat(flyway.migrate().migrationsExecuted).isEqualTo(14);
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  /**
   * The script's statements with its psql variables given, as {@code psql -v} gives them (the
   * embedded server trusts local connections, so the passwords themselves are not checked here).
   */
  static List<String> statements(String script) {
    String given =
        script
            .replace(":'app_password'", "'app-password'")
            .replace(":'reader_password'", "'reader-password'");
    String code =
        String.join("\n", given.lines().filter(l -> !l.stripLeading().startsWith("--")).toList());
    return Arrays.stream(code.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  static DataSource as(String user) {
    return postgres.getDatabase(user, "dks");
  }

  @Test
  void theApplicationOwnsItsDatabaseButIsNoSuperuser() throws SQLException {
    try (Connection c = as("dks").getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'dks'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).isFalse();
      assertThat(rs.getBoolean(2)).isFalse();
      assertThat(rs.getBoolean(3)).isFalse();
      assertThatThrownBy(() -> st.execute("CREATE ROLE intruder LOGIN"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void theDashboardsUserReadsEveryTableAndWritesNone() throws SQLException {
    try (Connection c = as("dks_dashboard").getConnection();
        Statement st = c.createStatement()) {
      for (String table :
          List.of(
              "sweeps", "cells", "trials", "metric_points", "trial_metric_summaries", "events")) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
          assertThat(rs.next()).as(table).isTrue();
        }
      }
      assertThatThrownBy(
              () ->
                  st.execute(
                      "INSERT INTO sweeps (uid, namespace, name, spec, objective_metric,"
                          + " objective_goal) VALUES ('u', 'n', 'x', '{}', 'loss', 'minimize')"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("DELETE FROM trials"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> st.execute("CREATE TABLE mine (x int)"))
          .hasMessageContaining("permission denied");
    }
  }
}
