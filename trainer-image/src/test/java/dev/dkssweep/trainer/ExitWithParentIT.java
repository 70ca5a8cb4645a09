package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trainer told which process is its runner ({@code --exit-with-parent=PID}) does not train when
 * that process is no longer its parent by the time its JVM has started (the runner was killed
 * meanwhile and the trainer handed to init); it used to read its parent late and train on,
 * orphaned, to the end.
 */
class ExitWithParentIT {

  @TempDir Path dir;

  Path spec(int epochs) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(
        spec,
        """
        {"schemaVersion": 1, "sweep": {"namespace": "t", "name": "s", "uid": "u"},
         "trialIndex": 0, "attempt": 1, "seed": 1,
         "model": {"architecture": "mlp", "depth": 2, "width": 8, "activation": "tanh", "method": "dks"},
         "data": {"dataset": "synthetic-clusters", "validationFraction": 0.1, "batchSize": 32,
                  "pln": true, "trainLimit": 200},
         "optimisation": {"optimizer": "adam", "learningRate": 0.001, "schedule": "constant",
                          "epochs": %d, "weightDecay": 0},
         "reporting": {"everySteps": 5}}
        """
            .formatted(epochs));
    return spec;
  }

  Process trainer(Path spec, String exitWithParent) throws Exception {
    ProcessBuilder pb = TrainerProcess.of(spec, dir);
    List<String> command = pb.command();
    command.add(exitWithParent);
    return pb.redirectOutput(dir.resolve("stdout").toFile()).start();
  }

  @Test
  void aRunnerThatIsNoLongerItsParentMeansNoTraining() throws Exception {
    Process notTheParent = new ProcessBuilder("sleep", "60").start();
    try {
      Process p = trainer(spec(1000), "--exit-with-parent=" + notTheParent.pid());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("it does not train").isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
      assertThat(Files.readString(dir.resolve("stderr"))).contains("is gone already");
      assertThat(Files.readString(dir.resolve("stdout"))).doesNotContain("train_loss");
    } finally {
      notTheParent.destroyForcibly();
    }
  }

  @Test
  void itsLiveRunnerLetsItTrain() throws Exception {
    Process p = trainer(spec(1), "--exit-with-parent=" + ProcessHandle.current().pid());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("stderr"))).isZero();
    assertThat(Files.readString(dir.resolve("stdout"))).contains("\"kind\":\"summary\"");
  }
}
