package dev.dkssweep.operator.execution.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process executor with a trainer that cannot start (an empty jar): its attempt is observed,
 * exits, stays Exited until released; and what it wrote, the spec with the trial's ingest token
 * among it, is owner-only (it used to be world-readable).
 */
class ProcessTrialExecutorIT {

  static final SweepDefinition.Trainer TRAINER =
      new SweepDefinition.Trainer(
          "dks-sweep/trainer",
          List.of(),
          OptionalInt.empty(),
          List.of(),
          SweepDefinition.Resources.NONE);

  static TrialSpec spec(String uid) {
    return new TrialSpec(
        TrialSpec.SCHEMA_VERSION,
        new TrialSpec.SweepRef("local", "quick", uid),
        0,
        1,
        1,
        new TrialSpec.ModelSpec(Architecture.MLP, 4, 16, "tanh", Method.STANDARD, null, null, null),
        new TrialSpec.DataSpec("synthetic-clusters", null, 0.1, 64, true, 100, null, null),
        new TrialSpec.OptimisationSpec(Optimizer.ADAM, 0.01, Schedule.COSINE, 1, null, 0),
        new TrialSpec.ReportingSpec("http://127.0.0.1:1/api/ingest", "secret-token", 10, null));
  }

  @Test
  void anAttemptIsObservedUntilReleasedAndItsFilesAreOwnerOnly(@TempDir Path dir) throws Exception {
    Path jar = Files.createFile(dir.resolve("empty.jar"));
    Path work = dir.resolve("runs").resolve("quick");
    TrialKey key = new TrialKey("u-1", 0, 1);
    try (ProcessTrialExecutor executor =
        new ProcessTrialExecutor(jar, work, List.of("-Xmx64m"), List.of(), Map.of())) {
      String worker = executor.launch(new TrialLaunch(spec("u-1"), 1, TRAINER));
      assertThat(executor.launch(new TrialLaunch(spec("u-1"), 1, TRAINER)))
          .as("launching it again is a no-op")
          .isEqualTo(worker);

      long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(30);
      AttemptObservation o = executor.observe("u-1").get(0);
      while (o.state() != AttemptState.EXITED && System.currentTimeMillis() < deadline) {
        Thread.sleep(100);
        o = executor.observe("u-1").get(0);
      }
      assertThat(o.key()).isEqualTo(key);
      assertThat(o.state()).isEqualTo(AttemptState.EXITED);
      assertThat(o.exit().exitCode()).as("java cannot run an empty jar").isNotZero();
      assertThat(executor.observe("other-sweep")).isEmpty();
      assertThat(executor.observe("u-1")).as("still there until released").hasSize(1);
      executor.release(key);
      assertThat(executor.observe("u-1")).isEmpty();

      Path attempt = executor.attemptDirectory(0, 1);
      Path specFile = attempt.resolve("spec.json");
      assertThat(Files.readString(specFile)).contains("secret-token");
      assertThat(mode(specFile)).isEqualTo("rw-------");
      assertThat(mode(attempt)).isEqualTo("rwx------");
      assertThat(mode(attempt.getParent())).isEqualTo("rwx------");
      assertThat(mode(work)).isEqualTo("rwx------");
    }
  }

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
