package dev.dkssweep.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.Set;

/**
 * Keeps a data directory's embedded PostgreSQL to its owner: every connection authenticates
 * (scram-sha-256) with a password generated once and kept beside the directory ({@code
 * postgres.password}, owner-only), and the server's unix socket lives inside the (owner-only) data
 * directory instead of /tmp. A new database gets the password from initdb and the rules before it
 * first starts; one made before these rules (no password file yet) is given them once, at its next
 * start.
 */
final class OwnerOnlyAccess {

  static final String PG_HBA =
      """
      # dks-sweep: every connection authenticates; the password is in ../postgres.password
      local all all scram-sha-256
      host  all all 127.0.0.1/32 scram-sha-256
      host  all all ::1/128 scram-sha-256
      """;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private final Path passwordFile;
  private final String password;
  private final boolean fresh;
  private final boolean upgrade;

  private OwnerOnlyAccess(Path passwordFile, String password, boolean fresh, boolean upgrade) {
    this.passwordFile = passwordFile;
    this.password = password;
    this.fresh = fresh;
    this.upgrade = upgrade;
  }

  /** The access of a data directory: its password (made now if there is none) and what to do. */
  static OwnerOnlyAccess of(Path dataDirectory) throws IOException {
    Path dir = dataDirectory.toAbsolutePath();
    restrict(dir.getParent(), OWNER_DIRECTORY);
    Path file = dir.resolveSibling(dir.getFileName() + ".password");
    boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
    boolean known = Files.isRegularFile(file);
    String password;
    if (known) {
      password = Files.readString(file, StandardCharsets.UTF_8).strip();
    } else {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      Files.createFile(file);
      restrict(file, OWNER_ONLY); // before the password is in it
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    }
    restrict(file, OWNER_ONLY);
    return new OwnerOnlyAccess(file, password, fresh, !fresh && !known);
  }

  String password() {
    return password;
  }

  /** What the server is started with: the socket, the password, and the rules before it starts. */
  void configure(EmbeddedPostgres.Builder builder, Path dataDirectory) {
    builder.setConnectConfig("password", password);
    builder.setServerConfig("unix_socket_directories", dataDirectory.toAbsolutePath().toString());
    if (fresh) {
      builder.setLocaleConfig("pwfile", passwordFile.toString()); // initdb --pwfile
    }
    if (!upgrade) {
      builder.setDataDirectoryCustomizer(dir -> writeRules(dir.toPath()));
    }
  }

  /** A database made before these rules: its password and rules, now that it runs (once). */
  void afterStart(EmbeddedPostgres postgres, Path dataDirectory) throws IOException {
    if (!upgrade) {
      return;
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      // the password is base64url: nothing in it needs quoting
      s.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      writeRules(dataDirectory.toAbsolutePath());
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("cannot protect the database in " + dataDirectory, e);
    }
  }

  private static void writeRules(Path dataDirectory) {
    try {
      Files.writeString(dataDirectory.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the access rules of " + dataDirectory, e);
    }
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }
}
