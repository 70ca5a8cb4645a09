package dev.dkssweep.operator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The application's entry point. {@code run SWEEP.yaml} (local mode) and {@code validate
 * SWEEP.yaml} parse and validate before Quarkus starts, so a bad spec fails in a fraction of a
 * second and the embedded PostgreSQL is up before the datasource is created; {@code serve} serves
 * the dashboard and the APIs (no command: the server of a cluster deployment).
 */
@QuarkusMain
@Command(
    name = "dks-sweep",
    mixinStandardHelpOptions = true,
    version = "dks-sweep 0.1.0",
    description = "Hyperparameter sweeps of DKS/TAT-shaped deep networks.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      ServeCommand.class,
      ReportCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the sweep completed (failed trials within budget included)",
      "1:the sweep failed, or an error",
      "2:invalid command line or sweep spec",
      "130:interrupted (Ctrl-C); resume with --resume"
    })
public final class Main implements Callable<Integer> {

  public static void main(String... args) {
    if (args.length == 0) {
      Quarkus.run(args);
      return;
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }
}
