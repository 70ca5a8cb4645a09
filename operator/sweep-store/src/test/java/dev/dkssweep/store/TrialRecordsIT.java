package dev.dkssweep.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.StaleVersionException;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps, cells, trials, transitions, summaries and events on a real PostgreSQL. */
class TrialRecordsIT extends EmbeddedStoreIT {

  static NewCell cell(int index, boolean feasible) {
    return new NewCell(
        index,
        "dks",
        "tanh",
        "mlp",
        50,
        256,
        1e-4,
        "fashion-mnist",
        feasible,
        feasible ? null : "no solution",
        "{\"alpha\": 0.1}",
        null);
  }

  static void recordSweep(JdbcResultStore s) {
    s.recordSweep(
        new NewSweep("u-1", "ns", "quick", 1, "{\"space\": {}}", "val_accuracy", Goal.MAXIMIZE));
    s.recordCells("u-1", List.of(cell(0, true), cell(1, false)));
    s.recordTrials(
        "u-1", List.of(new NewTrial(0, 0, 1), new NewTrial(1, 0, 2), new NewTrial(2, 1, 1)));
  }

  @Test
  void recordingIsIdempotentAndReadsBack() {
    recordSweep(store);
    recordSweep(store);
    List<StoredTrial> trials = store.trials("u-1");
    assertThat(trials).extracting(StoredTrial::trialIndex).containsExactly(0, 1, 2);
    assertThat(trials).extracting(StoredTrial::cellIndex).containsExactly(0, 0, 1);
    assertThat(trials)
        .allMatch(t -> t.state() == TrialState.PENDING && t.version() == 0 && t.attempt() == 0);
  }

  @Test
  void unknownSweepsAndCellsAreRefused() {
    assertThatThrownBy(() -> store.recordCells("nope", List.of(cell(0, true))))
        .hasMessageContaining("unknown sweep nope");
    recordSweep(store);
    assertThatThrownBy(() -> store.recordTrials("u-1", List.of(new NewTrial(9, 7, 1))))
        .hasMessageContaining("record the cells first");
  }

  @Test
  void transitionsCheckTheVersionSoNoUpdateIsLost() throws Exception {
    recordSweep(store);
    long v1 =
        store.transition("u-1", 0, new TrialTransition(0, TrialState.RUNNING, 1, "pod-a", null));
    assertThat(v1).isEqualTo(1);
    assertThatThrownBy(
            () ->
                store.transition("u-1", 0, new TrialTransition(0, TrialState.FAILED, 1, null, "x")))
        .isInstanceOf(StaleVersionException.class);
    // two replicas racing on the same version: exactly one wins
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> racers =
        List.of(TrialState.SUCCEEDED, TrialState.STOPPED).stream()
            .map(
                state ->
                    pool.submit(
                        () -> {
                          go.await();
                          try {
                            store.transition(
                                "u-1", 0, new TrialTransition(v1, state, 1, null, null));
                            return true;
                          } catch (StaleVersionException e) {
                            return false;
                          }
                        }))
            .toList();
    go.countDown();
    int winners = 0;
    for (Future<Boolean> f : racers) {
      winners += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(winners).isEqualTo(1);
    StoredTrial t = store.trials("u-1").get(0);
    assertThat(t.version()).isEqualTo(2);
    assertThat(t.state().finished()).isTrue();
    assertThat(t.worker()).isEqualTo("pod-a");
  }

  @Test
  void summariesSetTheObjectiveAndEventsAreKept() throws Exception {
    recordSweep(store);
    store.transition("u-1", 1, new TrialTransition(0, TrialState.RUNNING, 1, "proc-1", null));
    store.recordSummary(
        "u-1",
        new TrialSummary(
            "u-1-1",
            1,
            TrialStatus.SUCCEEDED,
            Map.of("val_accuracy", 0.87, "val_loss", 0.4),
            Map.of("val_accuracy", 0.88),
            100,
            12.5,
            900,
            null,
            null,
            null,
            0));
    assertThat(store.trials("u-1").get(1).objective()).isEqualTo(0.87);
    assertThatThrownBy(
            () ->
                store.recordSummary(
                    "u-1",
                    new TrialSummary(
                        "u-1-1",
                        2,
                        TrialStatus.SUCCEEDED,
                        Map.of(),
                        Map.of(),
                        0,
                        0,
                        0,
                        null,
                        null,
                        null,
                        0)))
        .hasMessageContaining("at attempt 2");
    store.recordEvent("u-1", null, EventType.NORMAL, EventReason.CREATED, "planned 3 trials");
    store.recordEvent("u-1", 1, EventType.WARNING, EventReason.FAILED, "pod evicted");
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(trial_id) FROM events")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
      assertThat(rs.getInt(2)).isEqualTo(1);
    }
  }

  @Test
  void theViewIsRebuiltFromTheDatabaseAfterARestart(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase first = EmbeddedDatabase.start(dir.resolve("pg"))) {
      JdbcResultStore s = new JdbcResultStore(first.dataSource());
      recordSweep(s);
      s.transition("u-1", 2, new TrialTransition(0, TrialState.RUNNING, 1, "proc-7", null));
    }
    try (EmbeddedDatabase second = EmbeddedDatabase.start(dir.resolve("pg"))) {
      List<StoredTrial> trials = new JdbcResultStore(second.dataSource()).trials("u-1");
      assertThat(trials).hasSize(3);
      assertThat(trials.get(2).state()).isEqualTo(TrialState.RUNNING);
      assertThat(trials.get(2).worker()).isEqualTo("proc-7");
      assertThat(trials.get(2).version()).isEqualTo(1);
    }
  }
}
