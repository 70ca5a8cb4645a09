package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.trainer.data.IdxFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DL4J training, a few steps, through the trainer's command line. */
class TrainerIT {

  @TempDir Path dir;

  private static String spec(
      String dataset, String activation, String method, String optimisation) {
    return spec("mlp", dataset, activation, method, optimisation);
  }

  private static String spec(
      String architecture, String dataset, String activation, String method, String optimisation) {
    return """
        {"schemaVersion": 1,
         "sweep": {"namespace": "test", "name": "it", "uid": "u1"},
         "trialIndex": 2, "attempt": 1, "seed": 3,
         "model": {"architecture": "%s", "depth": 6, "width": 32, "activation": "%s", "method": "%s"},
         "data": {"dataset": "%s", "validationFraction": 0.2, "batchSize": 32, "pln": true, "trainLimit": 600},
         "optimisation": %s,
         "reporting": {"everySteps": 5}}
        """
        .formatted(architecture, activation, method, dataset, optimisation);
  }

  private record Run(int exit, String stdout, JsonNode summary) {}

  private Run run(String json, String... extra) throws IOException {
    Path file = dir.resolve("trial-" + System.nanoTime() + ".json");
    Files.writeString(file, json);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        TrainerMain.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(
                        "--spec",
                        file.toString(),
                        "--data-dir",
                        dir.toString(),
                        "--termination-log",
                        dir.resolve("termination-log").toString()),
                    java.util.Arrays.stream(extra))
                .toArray(String[]::new));
    String stdout = out.toString(StandardCharsets.UTF_8);
    JsonNode summary = null;
    for (String line : stdout.lines().toList()) {
      JsonNode node = new ObjectMapper().readTree(line);
      if (node.get("kind").asText().equals("summary")) {
        summary = node.get("summary");
      }
    }
    return new Run(exit, stdout, summary);
  }

  /**
   * The MLP's default engine (the fused dense engine) and DL4J's own training reach the same
   * metrics on the same trial, with weight decay and a schedule.
   */
  @Test
  void denseEngineAndDl4jTrainTheSameNetwork() throws IOException {
    String json =
        spec(
            "synthetic-teacher",
            "softplus",
            "dks",
            "{\"optimizer\": \"momentum\", \"learningRate\": 0.01, \"schedule\": \"cosine\", \"epochs\": 2, \"weightDecay\": 0.001}");
    Run dense = run(json);
    Run dl4j = run(json, "--engine", "dl4j");
    assertThat(dense.exit()).isZero();
    assertThat(dl4j.exit()).isZero();
    JsonNode a = dense.summary().get("finalMetrics");
    JsonNode b = dl4j.summary().get("finalMetrics");
    for (String metric : new String[] {"train_loss_epoch", "val_loss", "val_accuracy"}) {
      assertThat(a.get(metric).asDouble())
          .as(metric)
          .isCloseTo(b.get(metric).asDouble(), org.assertj.core.api.Assertions.within(1e-3));
    }
    assertThat(dense.summary().get("steps").asLong())
        .isEqualTo(dl4j.summary().get("steps").asLong());
    // each summary says what trained the network
    assertThat(dense.summary().get("engine").asText()).isEqualTo("dense");
    assertThat(dl4j.summary().get("engine").asText()).isEqualTo("dl4j");
  }

  @Test
  void trainsADksNetworkOnSyntheticData() throws IOException {
    Run r =
        run(
            spec(
                "synthetic-clusters",
                "tanh",
                "dks",
                "{\"optimizer\": \"adam\", \"learningRate\": 0.003, \"schedule\": \"constant\", \"epochs\": 2, \"weightDecay\": 0}"));
    assertThat(r.exit()).isZero();
    assertThat(r.summary().get("status").asText()).isEqualTo("succeeded");
    assertThat(r.summary().get("trialId").asText()).isEqualTo("u1-2");
    assertThat(r.summary().get("steps").asLong()).isEqualTo(2 * 15);
    assertThat(r.summary().get("finalMetrics").get("val_accuracy").asDouble()).isGreaterThan(0.5);
    assertThat(r.summary().get("transform").get("gamma").asDouble()).isGreaterThan(1);
    assertThat(r.summary().get("initCheck").get("layers")).hasSize(6);
    assertThat(r.stdout()).contains("\"train_loss\"").contains("\"val_accuracy\"");
    String log = Files.readString(dir.resolve("termination-log"));
    assertThat(log.length()).isLessThan(4096);
    assertThat(new ObjectMapper().readTree(log).get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void trainsOnATinyIdxDataSetMadeHere() throws IOException {
    Path mnist = Files.createDirectories(dir.resolve("mnist"));
    Random rng = new Random(1);
    for (String part : new String[] {"train", "t10k"}) {
      int n = part.equals("train") ? 300 : 50;
      byte[] pixels = new byte[n * 8 * 8];
      byte[] labels = new byte[n];
      for (int i = 0; i < n; i++) {
        labels[i] = (byte) rng.nextInt(10);
        for (int p = 0; p < 64; p++) {
          // class-dependent blobs so that there is something to learn
          pixels[i * 64 + p] = (byte) ((p % 10 == labels[i] ? 200 : 20) + rng.nextInt(30));
        }
      }
      IdxFiles.write(
          mnist.resolve(part + "-images-idx3-ubyte.gz"), new int[] {n, 8, 8}, pixels, true);
      IdxFiles.write(mnist.resolve(part + "-labels-idx1-ubyte"), new int[] {n}, labels, false);
    }
    Run r =
        run(
            spec(
                "mnist",
                "softplus",
                "tat",
                "{\"optimizer\": \"momentum\", \"learningRate\": 0.01, \"schedule\": \"cosine\", \"maxSteps\": 12, \"weightDecay\": 0.0001}"));
    assertThat(r.exit()).isZero();
    assertThat(r.summary().get("steps").asLong()).isEqualTo(12);
    assertThat(r.summary().get("transform").get("method").asText()).isEqualTo("tat");
  }

  @Test
  void trainsAConvolutionalNetAndTheResNetBaseline() throws IOException {
    String few =
        "{\"optimizer\": \"adam\", \"learningRate\": 0.001, \"schedule\": \"constant\", \"maxSteps\": 8, \"weightDecay\": 0}";
    Run cnn = run(spec("cnn", "synthetic-clusters", "tanh", "dks", few));
    assertThat(cnn.exit()).isZero();
    assertThat(cnn.summary().get("initCheck").get("layers")).hasSize(6);
    assertThat(cnn.summary().get("initCheck").get("maxCDeviation").asDouble()).isLessThan(0.2);
    Run resnet = run(spec("resnet-bn", "synthetic-teacher", "relu", "standard", few));
    assertThat(resnet.exit()).isZero();
    // the kernel maps do not describe batch norm and skip connections: no check, no deviation
    JsonNode check = resnet.summary().get("initCheck");
    assertThat(check == null || check.isNull()).as("initCheck of resnet-bn").isTrue();
    assertThat(resnet.stdout()).doesNotContain("init_max_q_deviation");
    assertThat(resnet.summary().get("steps").asLong()).isEqualTo(8);
    assertThat(run(spec("resnet-bn", "synthetic-teacher", "relu", "dks", few)).exit()).isEqualTo(4);
    // the baseline of a convolutional sweep: convolutional residual blocks on the images
    Run convResnet =
        run(spec("resnet-bn\", \"base\": \"cnn", "synthetic-clusters", "tanh", "standard", few));
    assertThat(convResnet.exit()).isZero();
    assertThat(convResnet.summary().get("status").asText()).isEqualTo("succeeded");
    assertThat(convResnet.summary().get("steps").asLong()).isEqualTo(8);
  }

  @Test
  void aBlowingUpNetworkEndsAsDivergedWithExitThree() throws IOException {
    Run r =
        run(
            spec(
                "synthetic-teacher",
                "square",
                "standard",
                "{\"optimizer\": \"sgd\", \"learningRate\": 1000, \"schedule\": \"constant\", \"epochs\": 3, \"weightDecay\": 0}"));
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.summary().get("status").asText()).isEqualTo("diverged");
    assertThat(r.summary().get("errorMessage").asText()).contains("non-finite");
  }

  @Test
  void invalidSpecsExitWithFourAndTrainNothing() throws IOException {
    Run r =
        run(
            spec(
                "cifar",
                "tanh",
                "dks",
                "{\"optimizer\": \"adam\", \"learningRate\": -1, \"schedule\": \"constant\", \"epochs\": 1, \"weightDecay\": 0}"));
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.stdout()).isEmpty();
    Run tatRelu =
        run(
            spec(
                "synthetic-teacher",
                "relu",
                "tat",
                "{\"optimizer\": \"adam\", \"learningRate\": 0.001, \"schedule\": \"constant\", \"epochs\": 1, \"weightDecay\": 0}"));
    assertThat(tatRelu.exit()).isEqualTo(4);
  }
}
