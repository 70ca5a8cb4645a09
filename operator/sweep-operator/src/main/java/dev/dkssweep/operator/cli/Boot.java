package dev.dkssweep.operator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import java.util.Map;

/**
 * Starts the application for a command: the framework's settings that only the command line knows
 * (the datasource of the embedded PostgreSQL, the port, the host, the log level) go in as system
 * properties, which is how Quarkus takes runtime configuration from a launcher, all here and just
 * before it starts; the command's own data goes in as the application's arguments.
 */
final class Boot {

  /** The names a server on 127.0.0.1 is addressed by; any other {@code Host} is refused. */
  private static final String LOOPBACK_NAMES = "127.0.0.1,localhost,[::1]";

  private Boot() {}

  /** Settings that serve on 127.0.0.1 only, and answer only to its names. */
  static Map<String, String> loopbackOnly() {
    return Map.of("quarkus.http.host", "127.0.0.1", "dks.dashboard.allowed-hosts", LOOPBACK_NAMES);
  }

  /** Runs {@code app} until it ends and returns its exit code. */
  static int run(
      Class<? extends QuarkusApplication> app, Map<String, String> settings, String... args) {
    // a command runs its own sweep: it never reconciles a cluster's Sweep resources
    System.setProperty("dks.operator.enabled", "false");
    settings.forEach(System::setProperty);
    int[] code = {1};
    Quarkus.run(
        app,
        (status, error) -> {
          code[0] = status;
          if (error != null) {
            System.err.println("error: " + error);
            error.printStackTrace();
          }
        },
        args);
    return code[0];
  }
}
