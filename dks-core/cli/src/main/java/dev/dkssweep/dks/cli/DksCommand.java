package dev.dkssweep.dks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar dks.jar <solve|maps|bench>}: Deep Kernel Shaping from the command line. */
@Command(
    name = "dks",
    mixinStandardHelpOptions = true,
    version = "dks 0.1.0",
    description = "Deep Kernel Shaping and TAT: solve activation transforms, print kernel maps.",
    subcommands = {
      SolveCommand.class,
      MapsCommand.class,
      BenchCommand.class,
      BenchRuleCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:runtime failure", "2:usage error"})
public final class DksCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: solve, maps or bench");
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns its exit code (0, 1 failure, 2 usage). */
  public static int execute(String... args) {
    return new CommandLine(new DksCommand()).execute(args);
  }
}
