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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dks-sweep run} end to end: the packaged application, real trainer processes on synthetic
 * data posting to the real ingest API, the embedded PostgreSQL; then the database, the CSV and the
 * exit code are checked.
 */
class LocalRunIT {

  @Test
  void runsASweepToTheEndAndRecordsEverything(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("small.yaml"), AppProcess.sweep("small", 1, 2, 2));
    Process app =
        AppProcess.start(
            dir, "run", "small.yaml", "--data-dir", "home", "--port", "0", "--threads", "1");
    assertThat(app.waitFor(5, TimeUnit.MINUTES)).as("finished in time").isTrue();
    String out = AppProcess.out(dir);
    assertThat(app.exitValue()).as("exit code; stderr:%n%s", AppProcess.err(dir)).isZero();
    assertThat(out).contains("Kernel preflight:").contains("Sweep Complete (AllTrialsFinished)");

    List<String> csv = Files.readAllLines(dir.resolve("small-results.csv"));
    assertThat(csv).hasSize(1 + 4);
    assertThat(csv.get(0)).startsWith("cell,method,activation,architecture,depth,width");
    assertThat(csv.subList(1, 5))
        .allSatisfy(row -> assertThat(row.split(",")[10]).as(row).isEqualTo("1"));

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("home").resolve("postgres"))) {
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      StoredSweep sweep = store.latestSweep("local", "small").orElseThrow();
      assertThat(sweep.phase()).isEqualTo(SweepPhase.COMPLETE);
      List<StoredTrial> trials = store.trials(sweep.uid());
      assertThat(trials).hasSize(4);
      for (StoredTrial t : trials) {
        assertThat(t.state()).as("trial %d", t.trialIndex()).isEqualTo(TrialState.SUCCEEDED);
        assertThat(t.attempt()).isEqualTo(1);
        assertThat(t.objective()).isBetween(0.0, 1.0);
        assertThat(t.pointCount()).as("points posted to the ingest API").isGreaterThan(0);
      }
      // every epoch's validation accuracy arrived, once
      assertThat(count(db, "SELECT count(*) FROM metric_points WHERE name = 'val_accuracy'"))
          .isEqualTo(4 * 2);
      assertThat(count(db, "SELECT count(*) FROM cells WHERE transform IS NOT NULL")).isEqualTo(4);
      assertThat(count(db, "SELECT count(*) FROM events WHERE reason = 'Launched'")).isEqualTo(4);
      assertThat(
              count(
                  db,
                  "SELECT count(*) FROM trials"
                      + " WHERE jsonb_array_length(summary -> 'initCheck' -> 'layers') > 0"))
          .as("every trial's init check, with its per-layer q and c")
          .isEqualTo(4);
    }
  }

  @Test
  void anInvalidSpecExitsWithTwoAndNamesEveryField(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("bad.yaml"),
        AppProcess.sweep("bad", 1, 2, 2)
            .replace("depth: [4, 12]", "depth: [4, 0]")
            .replace("epochs: 2", "epochs: 2\n    sedes: 3"));
    Process app = AppProcess.start(dir, "run", "bad.yaml", "--data-dir", "home");
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(app.exitValue()).isEqualTo(2);
    assertThat(AppProcess.err(dir))
        .contains("space.depth[1]: must be between 1 and")
        .contains("space.sedes: unknown field");
    assertThat(dir.resolve("home")).as("nothing started, nothing written").doesNotExist();
  }

  @Test
  void aConfiguredJdbcUrlSwitchesToAnExternalPostgres(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase external = EmbeddedDatabase.start(null)) {
      Files.writeString(
          dir.resolve("ext.yaml"),
          AppProcess.sweep("ext", 1, 1, 1)
              .replace("method: [dks, standard]", "method: [dks]")
              .replace("depth: [4, 12]", "depth: [4]"));
      String url = external.jdbcUrl().replaceAll("[?&]user=[^&]*", "");
      Process app =
          AppProcess.start(
              dir,
              java.util.Map.of("DKS_DB_URL", url, "DKS_DB_USER", "postgres"),
              "run",
              "ext.yaml",
              "--data-dir",
              "home",
              "--port",
              "0");
      assertThat(app.waitFor(3, TimeUnit.MINUTES)).isTrue();
      assertThat(app.exitValue()).as("stderr:%n%s", AppProcess.err(dir)).isZero();
      assertThat(dir.resolve("home").resolve("postgres")).as("no embedded database").doesNotExist();
      JdbcResultStore store = new JdbcResultStore(external.dataSource());
      StoredSweep sweep = store.latestSweep("local", "ext").orElseThrow();
      assertThat(sweep.phase()).isEqualTo(SweepPhase.COMPLETE);
      assertThat(store.trials(sweep.uid()))
          .singleElement()
          .satisfies(t -> assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED));
    }
  }

  @Test
  void aSecondProcessOnTheDataDirectoryIsRefusedAndTheRunGoesOn(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("busy.yaml"), AppProcess.sweep("busy", 1, 2, 2));
    Process run =
        AppProcess.start(
            dir, "run", "busy.yaml", "--data-dir", "home", "--port", "0", "--threads", "1");
    long deadline = System.currentTimeMillis() + 120_000;
    while (!AppProcess.out(dir).contains("Kernel preflight:")
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertThat(run.isAlive()).as("stderr:%n%s", AppProcess.err(dir)).isTrue();

    Path second = Files.createDirectories(dir.resolve("second"));
    Process serve = AppProcess.start(second, "serve", "--data-dir", "../home", "--port", "0");
    assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("refused at once").isTrue();
    assertThat(serve.exitValue()).isEqualTo(1);
    assertThat(AppProcess.err(second))
        .contains("is in use by another process")
        .contains("dks-sweep run busy, dashboard http://127.0.0.1:");

    assertThat(run.waitFor(5, TimeUnit.MINUTES)).as("finished in time").isTrue();
    assertThat(run.exitValue()).as("stderr:%n%s", AppProcess.err(dir)).isZero();
    assertThat(AppProcess.out(dir)).contains("Sweep Complete (AllTrialsFinished)");
  }

  static long count(EmbeddedDatabase db, String sql) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
