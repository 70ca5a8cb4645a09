package dev.dkssweep.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interrupt (SIGTERM, handled like Ctrl-C) stops the running trials cleanly: they report a
 * stopped summary, the sweep is left Stopped with exit code 130, the results so far are printed,
 * and --resume finishes it.
 */
class InterruptIT {

  @Test
  void anInterruptedSweepIsRecordedAndResumable(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("stoppable.yaml"), AppProcess.sweep("stoppable", 1, 4, 2));
    Process first =
        AppProcess.start(
            dir, "run", "stoppable.yaml", "--data-dir", "home", "--port", "0", "--threads", "1");
    Path runs = dir.resolve("home").resolve("runs").resolve("stoppable");
    long deadline = System.currentTimeMillis() + 180_000;
    while (ResumeIT.summaries(runs) < 1 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    Thread.sleep(1_500); // the next trials are running now
    first.destroy(); // SIGTERM
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
    assertThat(first.exitValue()).as("stderr:%n%s", AppProcess.err(dir)).isEqualTo(130);
    assertThat(AppProcess.out(dir)).contains("Interrupted").contains("Results (");

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("home").resolve("postgres"))) {
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      StoredSweep sweep = store.latestSweep("local", "stoppable").orElseThrow();
      assertThat(sweep.phase()).isEqualTo(SweepPhase.STOPPED);
      List<StoredTrial> trials = store.trials(sweep.uid());
      assertThat(trials).noneMatch(t -> t.state() == TrialState.RUNNING);
      assertThat(trials).anyMatch(t -> t.state() == TrialState.SUCCEEDED);
    }

    Files.delete(dir.resolve("out.txt"));
    AppProcess.resumeToCompletion(dir, "stoppable.yaml");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("home").resolve("postgres"))) {
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      StoredSweep sweep = store.latestSweep("local", "stoppable").orElseThrow();
      assertThat(sweep.phase()).isEqualTo(SweepPhase.COMPLETE);
      assertThat(store.trials(sweep.uid()))
          .hasSize(4)
          .allSatisfy(t -> assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED));
    }
  }
}
