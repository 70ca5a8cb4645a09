package dev.dkssweep.trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The built trainer jar as a child JVM (one OpenMP thread), for tests of process behaviour. */
final class TrainerProcess {

  private TrainerProcess() {}

  /**
   * {@code java [jvmOptions] -jar target/trainer.jar --spec <spec> --termination-log
   * <dir>/termination-log}; stderr goes to {@code <dir>/stderr}.
   */
  static ProcessBuilder of(Path spec, Path dir, String... jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-jar",
            Path.of("target/trainer.jar").toAbsolutePath().toString(),
            "--spec",
            spec.toString(),
            "--termination-log",
            dir.resolve("termination-log").toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("OMP_NUM_THREADS", "1");
    pb.redirectError(dir.resolve("stderr").toFile());
    return pb;
  }
}
