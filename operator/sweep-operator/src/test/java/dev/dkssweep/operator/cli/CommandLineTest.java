package dev.dkssweep.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad command lines exit 2 with the option named, before anything starts. */
class CommandLineTest {

  static int execute(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Test
  void aPortOutOfRangeIsAUsageError(@TempDir Path dir) throws Exception {
    Path sweep = dir.resolve("ok.yaml");
    Files.writeString(
        sweep,
        """
        objective: {metric: val_accuracy, goal: maximize}
        space: {method: [dks], activation: [tanh], depth: [4], learningRate: [0.01]}
        """);
    Path home = dir.resolve("home");
    assertThat(execute("run", sweep.toString(), "--port", "70000", "--data-dir", home.toString()))
        .isEqualTo(2);
    assertThat(execute("serve", "--port", "-1", "--data-dir", home.toString())).isEqualTo(2);
    assertThat(home).as("nothing started").doesNotExist();
  }
}
