package dev.dkssweep.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner is killed (SIGKILL) in the middle of a sweep; its trainers stop with it, and {@code
 * --resume} finishes the sweep without re-running finished trials, losing or duplicating a trial or
 * a point.
 */
class ResumeIT {

  static final int EPOCHS = 3;

  @Test
  void aKilledRunIsResumedWithNothingLostOrDuplicated(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("resumable.yaml"), AppProcess.sweep("resumable", 2, EPOCHS, 2));
    Process first =
        AppProcess.start(
            dir, "run", "resumable.yaml", "--data-dir", "home", "--port", "0", "--threads", "1");
    Path runs = dir.resolve("home").resolve("runs").resolve("resumable");
    long deadline = System.currentTimeMillis() + 180_000;
    while (summaries(runs) < 2 && System.currentTimeMillis() < deadline && first.isAlive()) {
      Thread.sleep(200);
    }
    assertThat(first.isAlive()).as("still running; stderr:%n%s", AppProcess.err(dir)).isTrue();
    assertThat(summaries(runs)).as("finished trials before the kill").isGreaterThanOrEqualTo(2);
    List<ProcessHandle> trainers = first.toHandle().children().toList();
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    for (ProcessHandle t : trainers) {
      t.onExit().get(20, TimeUnit.SECONDS);
      assertThat(t.isAlive()).as("trainer %d outlived the runner", t.pid()).isFalse();
    }

    AppProcess.resumeToCompletion(dir, "resumable.yaml");
    assertThat(AppProcess.out(dir)).startsWith("Resuming resumable");

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("home").resolve("postgres"))) {
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      StoredSweep sweep = store.latestSweep("local", "resumable").orElseThrow();
      assertThat(sweep.phase()).isEqualTo(SweepPhase.COMPLETE);
      List<StoredTrial> trials = store.trials(sweep.uid());
      assertThat(trials)
          .hasSize(8)
          .allSatisfy(t -> assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED));
      assertThat(trials).filteredOn(t -> t.attempt() == 1).hasSizeGreaterThanOrEqualTo(2);
      assertThat(trials).as("relaunched after the kill").anyMatch(t -> t.attempt() == 2);
      // the current attempt of every trial has exactly one value per epoch
      for (StoredTrial t : trials) {
        long perEpoch =
            LocalRunIT.count(
                db,
                "SELECT count(*) FROM metric_points p JOIN trials t ON t.id = p.trial_id"
                    + " JOIN sweeps s ON s.id = t.sweep_id WHERE s.uid = '"
                    + sweep.uid()
                    + "' AND t.trial_index = "
                    + t.trialIndex()
                    + " AND p.attempt = t.attempt AND p.name = 'val_accuracy'");
        assertThat(perEpoch).as("trial %d", t.trialIndex()).isEqualTo(EPOCHS);
      }
      assertThat(LocalRunIT.count(db, "SELECT count(*) FROM events WHERE reason = 'Launched'"))
          .as("finished trials were not launched again")
          .isLessThanOrEqualTo(8 + 2);
    }
  }

  /** Attempts that wrote their final summary. */
  static long summaries(Path runs) throws IOException {
    if (!Files.isDirectory(runs)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(runs)) {
      return s.filter(p -> p.getFileName().toString().equals("summary.json")).count();
    }
  }
}
