package dev.dkssweep.operator.cli;

import dev.dkssweep.operator.local.LocalApp;
import dev.dkssweep.operator.local.LocalRun;
import dev.dkssweep.sweep.document.SweepDocuments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dks-sweep run SWEEP.yaml}: local mode. Validates (exit 2 with every problem), starts the
 * embedded PostgreSQL (or uses {@code --jdbc-url}), then the application, which runs the sweep with
 * trainer child processes.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run a sweep on this machine (local mode).")
public final class RunCommand implements Callable<Integer> {

  public static final int DEFAULT_PORT = 8765;

  @Parameters(
      index = "0",
      paramLabel = "SWEEP.yaml",
      description = "the sweep (a Sweep resource or its spec)")
  Path file;

  @Option(
      names = "--resume",
      description = "continue the latest run of this sweep from the database")
  boolean resume;

  @Option(
      names = "--port",
      description = "port of the API on localhost (default ${DEFAULT-VALUE}; 0 = any free port)",
      defaultValue = "" + DEFAULT_PORT)
  int port;

  @Option(
      names = "--data-dir",
      description = "database and trial logs (default $DKS_HOME, else ~/.local/share/dks-sweep)")
  Path dataDir;

  @Option(names = "--results", description = "results CSV (default <sweep name>-results.csv)")
  Path results;

  @Option(
      names = "--trainer-jar",
      description = "the trainer (default $DKS_TRAINER_JAR, else trainer-image/target/trainer.jar)")
  Path trainerJar;

  @Option(names = "--parallelism", description = "trials at once (overrides the spec)")
  Integer parallelism;

  @Option(names = "--threads", description = "threads per trial (default cores / parallelism)")
  Integer threads;

  @Option(
      names = "--jdbc-url",
      description =
          "an external PostgreSQL (default $DKS_DB_URL; credentials from $DKS_DB_USER and"
              + " $DKS_DB_PASSWORD); without one, an embedded PostgreSQL keeps its data in --data-dir")
  String jdbcUrl;

  @Override
  public Integer call() throws IOException {
    SweepDocuments.SweepDocument doc = SpecFiles.read(file, System.err);
    if (doc == null) {
      return 2;
    }
    if (parallelism != null && parallelism < 1 || threads != null && threads < 1) {
      System.err.println("error: --parallelism and --threads must be >= 1");
      return 2;
    }
    if (!validPort(port)) {
      return 2;
    }
    Path jar = trainerJar != null ? trainerJar : defaultTrainerJar();
    LocalDatabase db;
    try {
      db = LocalDatabase.start(dataDir, jdbcUrl);
    } catch (IOException e) {
      System.err.println("error: cannot start the embedded PostgreSQL: " + e.getMessage());
      return 1;
    }
    try {
      int chosen = choosePort(port);
      db.describeOwner(
          "dks-sweep run " + doc.name() + ", dashboard http://127.0.0.1:" + chosen + "/");
      Map<String, String> settings = new HashMap<>(db.settings());
      settings.putAll(Boot.loopbackOnly());
      settings.put("quarkus.http.port", Integer.toString(chosen));
      settings.put("quarkus.log.level", System.getProperty("quarkus.log.level", "WARN"));
      Path csv = results != null ? results : Path.of(doc.name() + "-results.csv");
      LocalRun run =
          new LocalRun(
              file.toAbsolutePath(), resume, chosen, db.data(), csv, jar, parallelism, threads);
      return Boot.run(LocalApp.class, settings, run.toArgs());
    } finally {
      db.close();
    }
  }

  static Path defaultTrainerJar() {
    String env = System.getenv("DKS_TRAINER_JAR");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of("trainer-image", "target", "trainer.jar");
  }

  /** A TCP port (0 for any free one); otherwise says so on stderr. */
  static boolean validPort(int port) {
    if (port < 0 || port > 65_535) {
      System.err.println("error: --port must be between 0 (any free port) and 65535, got " + port);
      return false;
    }
    return true;
  }

  /** The requested port if free on localhost, else any free one (said on stderr). */
  static int choosePort(int requested) throws IOException {
    if (requested > 0) {
      try (ServerSocket s = new ServerSocket(requested, 1, InetAddress.getLoopbackAddress())) {
        return requested;
      } catch (IOException busy) {
        System.err.println("port " + requested + " is in use; taking a free one (set --port)");
      }
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
