package dev.dkssweep.operator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** The server until it is told to stop (SIGTERM, Ctrl-C). */
public class ServeApp implements QuarkusApplication {

  @Override
  public int run(String... args) {
    Quarkus.waitForExit();
    return 0;
  }
}
