package dev.dkssweep.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The packaged application (target/quarkus-app) started as a child process, like the launcher. */
final class AppProcess {

  static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
  static final Path TRAINER =
      Path.of("..", "..", "trainer-image", "target", "trainer.jar").toAbsolutePath().normalize();

  private AppProcess() {}

  static Process start(Path dir, String... args) throws IOException {
    return start(dir, java.util.Map.of(), args);
  }

  static Process start(Path dir, java.util.Map<String, String> env, String... args)
      throws IOException {
    assertThat(APP).as("the packaged application (mvn package)").isRegularFile();
    assertThat(TRAINER)
        .as("the trainer jar (the reactor builds trainer-image first)")
        .isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(APP.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile());
    pb.environment().put("DKS_TRAINER_JAR", TRAINER.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * {@code run <spec> --resume} on the data directory {@code home} with one thread per trial, to
   * the end: within 5 minutes and with exit code 0 (asserted).
   */
  static void resumeToCompletion(Path dir, String spec) throws Exception {
    resumeToCompletion(dir, java.util.Map.of(), spec, 5);
  }

  /** The same with extra environment and a time limit in minutes. */
  static void resumeToCompletion(
      Path dir, java.util.Map<String, String> env, String spec, int minutes) throws Exception {
    Process p =
        start(
            dir,
            env,
            "run",
            spec,
            "--resume",
            "--data-dir",
            "home",
            "--port",
            "0",
            "--threads",
            "1");
    if (!p.waitFor(minutes, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(
          "not finished in "
              + minutes
              + " min; stdout ends:\n"
              + tail(out(dir))
              + "\nstderr ends:\n"
              + tail(err(dir)));
    }
    assertThat(p.exitValue()).as("stderr:%n%s", err(dir)).isZero();
  }

  private static String tail(String s) {
    return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
  }

  static String out(Path dir) throws IOException {
    return Files.readString(dir.resolve("out.txt"));
  }

  static String err(Path dir) throws IOException {
    return Files.readString(dir.resolve("err.txt"));
  }

  /** A small sweep on synthetic data: 2 methods x 2 depths x 1 rate = 4 cells. */
  static String sweep(String name, int seeds, int epochs, int parallelism) {
    return """
        apiVersion: dkssweep.dev/v1alpha1
        kind: Sweep
        metadata: {name: %s}
        spec:
          objective: {metric: val_accuracy, goal: maximize, reduce: max}
          space:
            method: [dks, standard]
            activation: [tanh]
            depth: [4, 12]
            width: [16]
            learningRate: [0.003]
            dataset: synthetic-clusters
            epochs: %d
            seeds: %d
          parallelism: %d
          training: {batchSize: 64, trainLimit: 600, reportEverySteps: 2}
          trainer: {jvmOptions: ["-Xmx256m"]}
        """
        .formatted(name, epochs, seeds, parallelism);
  }
}
