package dev.dkssweep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory's database lets in only its owner: no connection without the password (it used
 * to trust every local connection, making any local user its superuser), the password in an
 * owner-only file beside it, no socket in /tmp; a database made before these rules gets them at its
 * next start, with its data.
 */
class OwnerOnlyAccessIT {

  static Connection connect(int port, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", p);
  }

  static int port(EmbeddedDatabase db) {
    String url = db.jdbcUrl();
    return Integer.parseInt(url.replaceAll(".*localhost:(\\d+)/.*", "$1"));
  }

  @Test
  void onlyTheOwnerGetsIn(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("home").resolve("postgres");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
      int port = port(db);
      assertThatThrownBy(() -> connect(port, null).close()).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> connect(port, "guess").close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
      try (Connection c = connect(port, db.password())) {
        assertThat(c.isValid(2)).isTrue();
      }
      Path password = dir.resolve("home").resolve("postgres.password");
      assertThat(Files.readString(password).strip()).isEqualTo(db.password());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password)))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("home"))))
          .isEqualTo("rwx------");
      assertThat(Path.of("/tmp/.s.PGSQL." + port)).as("no socket in /tmp").doesNotExist();
      assertThat(data.resolve(".s.PGSQL." + port)).as("its socket is its own").exists();
    }
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data)) {
      try (Connection c = again.dataSource().getConnection()) {
        assertThat(c.isValid(2)).as("the kept password opens it again").isTrue();
      }
    }
  }

  @Test
  void aDatabaseFromBeforeIsProtectedAtItsNextStartWithItsData(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("postgres");
    Files.createDirectories(data);
    try (EmbeddedPostgres old =
            EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        Connection c = old.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE SCHEMA old; CREATE TABLE old.kept (x int); INSERT INTO old.kept VALUES (42)");
    }

    try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
      int port = port(db);
      assertThatThrownBy(() -> connect(port, null).close()).isInstanceOf(SQLException.class);
      try (Connection c = connect(port, db.password());
          Statement s = c.createStatement();
          var rs = s.executeQuery("SELECT x FROM old.kept")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
    }
  }
}
