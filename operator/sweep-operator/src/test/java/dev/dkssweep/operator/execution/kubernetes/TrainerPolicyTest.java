package dev.dkssweep.operator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.document.SweepSpec;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerPolicyTest {

  static final TrainerPolicy POLICY =
      new TrainerPolicy(
          List.of("ghcr.io/dks-sweep/"),
          List.of("-Xmx", "-XX:MaxRAMPercentage="),
          List.of("--engine"));

  static SweepSpec spec(String trainer) {
    return SweepDocuments.read(
            """
            objective: {metric: val_accuracy, goal: maximize}
            space: {method: [dks], activation: [tanh], depth: [4], learningRate: {values: [0.001]}}
            """
                + trainer,
            "t")
        .spec();
  }

  static List<String> fields(List<SpecViolation> v) {
    return v.stream().map(SpecViolation::field).toList();
  }

  @Test
  void theProjectsImageAndAllowedOptionsPass() {
    assertThat(POLICY.check(spec(""))).as("the default image").isEmpty();
    assertThat(
            POLICY.check(
                spec(
                    "trainer: {image: ghcr.io/dks-sweep/trainer:0.1.0-cuda, jvmOptions: [-Xmx2g],"
                        + " args: [--engine, dense]}")))
        .isEmpty();
    assertThat(POLICY.check(spec("trainer: {args: [--engine=dl4j]}"))).isEmpty();
  }

  @Test
  void anotherImageIsRefusedNamingTheSettingThatAllowsIt() {
    List<SpecViolation> v = POLICY.check(spec("trainer: {image: docker.io/evil/miner:latest}"));
    assertThat(fields(v)).containsExactly("trainer.image");
    assertThat(v.get(0).message())
        .contains("docker.io/evil/miner:latest")
        .contains("dks.trainer.allowed-images");
  }

  @Test
  void jvmOptionsAndArgumentsThatRunCommandsAreRefused() {
    List<SpecViolation> v =
        POLICY.check(
            spec(
                "trainer: {jvmOptions: [-Xmx1g, '-XX:OnOutOfMemoryError=sh -c id', -javaagent:/tmp/a.jar],"
                    + " args: [--engine, dense, --spec, /etc/passwd]}"));
    assertThat(fields(v))
        .containsExactly(
            "trainer.jvmOptions[1]", "trainer.jvmOptions[2]", "trainer.args[2]", "trainer.args[3]");
  }

  @Test
  void environmentThatTheJvmOrTheLinkerRunsIsRefused() {
    List<SpecViolation> v =
        POLICY.check(
            spec(
                "trainer: {env: [{name: WANDB_MODE, value: offline},"
                    + " {name: JAVA_TOOL_OPTIONS, value: '-javaagent:/tmp/a.jar'},"
                    + " {name: LD_PRELOAD, value: /tmp/x.so}, {name: JDK_JAVA_OPTIONS, value: x}]}"));
    assertThat(fields(v))
        .containsExactly("trainer.env[1].name", "trainer.env[2].name", "trainer.env[3].name");
    assertThat(v.get(0).message()).contains("JAVA_TOOL_OPTIONS").contains("trainer.jvmOptions");
  }

  @Test
  void theImageTheAdministratorMadeTheDefaultIsAllowedAsItIs() {
    TrainerPolicy p =
        new TrainerPolicy(
            List.of("ghcr.io/dks-sweep/"),
            List.of(),
            List.of(),
            java.util.Optional.of("registry.example/dks/trainer:0.1.0-cuda"));
    assertThat(p.check(spec("trainer: {image: registry.example/dks/trainer:0.1.0-cuda}")))
        .isEmpty();
    assertThat(fields(p.check(spec("trainer: {image: registry.example/dks/trainer:other}"))))
        .as("only that image, not its repository")
        .containsExactly("trainer.image");
  }
}
