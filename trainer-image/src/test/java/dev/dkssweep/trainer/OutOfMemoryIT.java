package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network too big for the trainer's memory ends as a failed attempt with a summary that says how
 * to fix it, not as a crash without one.
 */
class OutOfMemoryIT {

  @TempDir Path dir;

  @Test
  void aNetworkTooBigForTheHeapFailsWithAdvice() throws Exception {
    Path spec = dir.resolve("big.json");
    // 4 dense layers of 12288 units: ~1.8 GB of float parameters against a 256 MB limit
    Files.writeString(
        spec,
        """
        {"schemaVersion": 1, "sweep": {"namespace": "t", "name": "s", "uid": "u"},
         "trialIndex": 0, "attempt": 1, "seed": 1,
         "model": {"architecture": "mlp", "depth": 4, "width": 12288, "activation": "tanh", "method": "dks"},
         "data": {"dataset": "synthetic-teacher", "validationFraction": 0.1, "batchSize": 64, "pln": true, "trainLimit": 500},
         "optimisation": {"optimizer": "adam", "learningRate": 0.001, "schedule": "constant", "maxSteps": 2, "weightDecay": 0},
         "reporting": {"everySteps": 1}}
        """);
    Process p =
        TrainerProcess.of(
                spec, dir, "-Xmx256m", "-Dorg.deeplearning4j.crash.reporting.enabled=false")
            .redirectOutput(dir.resolve("stdout").toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("stderr"))).isEqualTo(1);
    JsonNode summary =
        new ObjectMapper().readTree(Files.readString(dir.resolve("termination-log")));
    assertThat(summary.get("status").asText()).isEqualTo("failed");
    assertThat(summary.get("errorMessage").asText())
        .startsWith("out of memory")
        .contains("trainer.jvmOptions");
  }
}
