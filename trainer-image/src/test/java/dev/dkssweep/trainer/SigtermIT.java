package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a training trainer process: finish the step, report "stopped", exit 143 in 10 s. */
class SigtermIT {

  @TempDir Path dir;

  @Test
  void stopsCleanlyOnSigterm() throws Exception {
    Path spec = dir.resolve("long.json");
    Files.writeString(
        spec,
        """
        {"schemaVersion": 1, "sweep": {"namespace": "t", "name": "s", "uid": "u"},
         "trialIndex": 0, "attempt": 1, "seed": 1,
         "model": {"architecture": "mlp", "depth": 10, "width": 64, "activation": "tanh", "method": "dks"},
         "data": {"dataset": "synthetic-teacher", "validationFraction": 0.1, "batchSize": 64, "pln": true},
         "optimisation": {"optimizer": "adam", "learningRate": 0.001, "schedule": "constant", "epochs": 1000, "weightDecay": 0},
         "reporting": {"everySteps": 1}}
        """);
    Process p = TrainerProcess.of(spec, dir).start();
    List<String> lines = new ArrayList<>();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    // wait until training has produced metrics, then send SIGTERM
    String line;
    while ((line = out.readLine()) != null) {
      lines.add(line);
      if (line.contains("\"train_loss\"")) {
        break;
      }
    }
    long sent = System.nanoTime();
    p.toHandle().destroy(); // SIGTERM, keeping our end of stdout open
    while ((line = out.readLine()) != null) {
      lines.add(line);
    }
    assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
    double seconds = (System.nanoTime() - sent) / 1e9;
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(seconds).isLessThan(10);
    JsonNode summary = null;
    for (String l : lines) {
      JsonNode n = new ObjectMapper().readTree(l);
      if (n.path("kind").asText().equals("summary")) {
        summary = n.get("summary");
      }
    }
    assertThat(summary).as("stdout: %s", lines).isNotNull();
    assertThat(summary.get("status").asText()).isEqualTo("stopped");
    assertThat(summary.get("steps").asLong()).isPositive();
    assertThat(Files.readString(dir.resolve("termination-log"))).contains("\"stopped\"");
  }
}
