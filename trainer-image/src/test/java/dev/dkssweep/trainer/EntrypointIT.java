package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container entry point, run with bash as the image would run it. */
class EntrypointIT {

  @TempDir Path dir;

  private String run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = "bash";
    command[1] = Path.of("docker/entrypoint.sh").toAbsolutePath().toString();
    System.arraycopy(args, 0, command, 2, args.length);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("OMP_NUM_THREADS");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void threadsFollowTheCgroupCpuLimit() throws Exception {
    Path cpuMax = dir.resolve("cpu.max");
    Files.writeString(cpuMax, "250000 100000\n");
    String out =
        run(
            Map.of("DKS_CPU_MAX_FILE", cpuMax.toString(), "DKS_ENTRYPOINT_DRY_RUN", "1"),
            "--spec",
            "t.json");
    assertThat(out).startsWith("OMP_NUM_THREADS=3 java").contains("--spec t.json");
    Files.writeString(cpuMax, "max 100000\n");
    String unlimited =
        run(Map.of("DKS_CPU_MAX_FILE", cpuMax.toString(), "DKS_ENTRYPOINT_DRY_RUN", "1"));
    assertThat(unlimited)
        .startsWith("OMP_NUM_THREADS=" + Runtime.getRuntime().availableProcessors() + " ");
    String explicit = run(Map.of("OMP_NUM_THREADS", "1", "DKS_ENTRYPOINT_DRY_RUN", "1"));
    assertThat(explicit).startsWith("OMP_NUM_THREADS=1 ");
  }

  @Test
  void runsTheTrainerJar() throws Exception {
    String out =
        run(
            Map.of("DKS_TRAINER_JAR", Path.of("target/trainer.jar").toAbsolutePath().toString()),
            "--help");
    assertThat(out).contains("Usage: trainer").contains("143");
  }
}
