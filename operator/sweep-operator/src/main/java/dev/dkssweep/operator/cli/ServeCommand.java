package dev.dkssweep.operator.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dks-sweep serve}: the application without running a sweep: the dashboard and its API over
 * the local database (the embedded PostgreSQL of --data-dir unless a JDBC URL is configured), and
 * the ingest API. In a cluster the datasource comes from QUARKUS_DATASOURCE_* and the server
 * listens on all interfaces.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the dashboard and the APIs (local data, or a cluster's database).")
public final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      description = "port (default ${DEFAULT-VALUE})",
      defaultValue = "" + RunCommand.DEFAULT_PORT)
  int port;

  @Option(
      names = "--data-dir",
      description = "database of local mode (default $DKS_HOME, else ~/.local/share/dks-sweep)")
  Path dataDir;

  @Option(names = "--jdbc-url", description = "an external PostgreSQL (default $DKS_DB_URL)")
  String jdbcUrl;

  @Override
  public Integer call() {
    if (!RunCommand.validPort(port)) {
      return 2;
    }
    boolean cluster = System.getenv("QUARKUS_DATASOURCE_JDBC_URL") != null;
    LocalDatabase db = null;
    Map<String, String> settings = new HashMap<>();
    if (!cluster) {
      try {
        db = LocalDatabase.start(dataDir, jdbcUrl);
      } catch (IOException e) {
        System.err.println("error: cannot start the embedded PostgreSQL: " + e.getMessage());
        return 1;
      }
      settings.putAll(db.settings());
      if (db.database() != null) {
        settings.putAll(Boot.loopbackOnly());
      }
    }
    settings.put("quarkus.http.port", Integer.toString(port));
    if (db != null) {
      try {
        db.describeOwner("dks-sweep serve, dashboard http://127.0.0.1:" + port + "/");
      } catch (IOException e) {
        System.err.println("warning: " + e.getMessage());
      }
    }
    System.err.println(
        "dashboard: http://"
            + (cluster ? "0.0.0.0" : "127.0.0.1")
            + ":"
            + port
            + "/  (Ctrl-C to stop)");
    try {
      return Boot.run(ServeApp.class, settings);
    } finally {
      if (db != null) {
        try {
          db.close();
        } catch (IOException e) {
          System.err.println("warning: " + e.getMessage());
        }
      }
    }
  }
}
