package dev.dkssweep.operator.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite of local mode (issue 14), on the packaged application with fast simulated
 * trainers (the trainer's own reporter, retries and exit handling; no network) and a real
 * PostgreSQL. Each case then checks every trial, every point and every objective against what the
 * simulated trainer must have produced.
 *
 * <ul>
 *   <li>the runner SIGKILLed at 5 random points of a 200-trial sweep, resumed each time, and one
 *       trainer SIGKILLed mid-epoch: 0 trials lost, 0 points lost or duplicated, every trial
 *       counted once, the killed trainer's attempt recorded as a failure and retried per policy;
 *   <li>the database stopped for 30 s mid-sweep: the trainers keep their points and send them
 *       again, the runner backs off, the readiness check reports the database down meanwhile, and
 *       the sweep completes with nothing lost and no attempt counted as a failure.
 * </ul>
 *
 * The kill points come from a seeded random ({@code -Ddks.faults.seed=N} for another run).
 */
class FaultsIT {

  static final int EPOCHS = 3;
  static final int STEPS = 20;
  static final long SEED = Long.getLong("dks.faults.seed", 20261202L);

  /** 2 methods x 2 activations x 5 depths x 2 rates = 40 cells, x seeds. */
  static String sweep(String name, int seeds, int parallelism) {
    return """
        apiVersion: dkssweep.dev/v1alpha1
        kind: Sweep
        metadata: {name: %s}
        spec:
          objective: {metric: val_accuracy, goal: maximize, reduce: max}
          space:
            method: [dks, standard]
            activation: [tanh, softplus]
            depth: [2, 4, 6, 8, 10]
            width: [8]
            learningRate: [0.001, 0.01]
            dataset: synthetic-clusters
            epochs: %d
            seeds: %d
          parallelism: %d
          retry: {maxRetries: 1}
          trainer: {jvmOptions: ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m"]}
        """
        .formatted(name, EPOCHS, seeds, parallelism);
  }

  @Test
  void theRunnerKilledFiveTimesAndATrainerKilledMidEpochLoseNothing(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("faults.yaml"), sweep("faults", 5, 6));
    Map<String, String> env =
        Map.of(
            "DKS_TRAINER_JAR", SimulatedTrainers.jar(dir).toString(),
            "DKS_SIM_EPOCH_MILLIS", "250",
            "DKS_SIM_STEPS", Integer.toString(STEPS));
    Path runs = dir.resolve("home").resolve("runs").resolve("faults");
    Random random = new Random(SEED);
    List<String> log = new ArrayList<>();
    int killedTrial = -1;
    for (int kill = 1; kill <= 5; kill++) {
      List<String> args =
          new ArrayList<>(
              List.of("run", "faults.yaml", "--data-dir", "home", "--port", "0", "--threads", "1"));
      if (kill > 1) {
        args.add("--resume");
      }
      Process runner = AppProcess.start(dir, env, args.toArray(String[]::new));
      long before = succeeded(runs);
      long target = before + 5 + random.nextInt(21);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      if (kill == 1) {
        // a trainer killed mid-epoch: SIGKILL, as the OOM killer would
        ProcessHandle victim = liveTrainer(runner, deadline);
        killedTrial = trialIndexOf(victim);
        int attempt = attemptOf(victim);
        victim.destroyForcibly();
        Path retry = runs.resolve("trial-" + killedTrial).resolve("attempt-" + (attempt + 1));
        while (!Files.isDirectory(retry) && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(retry).as("the killed trainer's trial relaunched").isDirectory();
        log.add("trainer of trial " + killedTrial + " attempt " + attempt + " killed");
      }
      while (succeeded(runs) < target && System.nanoTime() < deadline && runner.isAlive()) {
        Thread.sleep(20);
      }
      Thread.sleep(random.nextInt(400)); // anywhere in a round, a launch or an exit
      assertThat(runner.isAlive())
          .as("run %d still running; stderr:%n%s", kill, AppProcess.err(dir))
          .isTrue();
      List<ProcessHandle> trainers = runner.toHandle().children().toList();
      runner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      for (ProcessHandle t : trainers) {
        t.onExit().get(20, TimeUnit.SECONDS);
      }
      log.add(
          "kill "
              + kill
              + " after "
              + succeeded(runs)
              + " succeeded attempts, "
              + trainers.size()
              + " trainers running");
    }
    AppProcess.resumeToCompletion(dir, env, "faults.yaml", 8);

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("home").resolve("postgres"))) {
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      StoredSweep sweep = store.latestSweep("local", "faults").orElseThrow();
      assertThat(sweep.phase()).as("%s", log).isEqualTo(SweepPhase.COMPLETE);
      List<StoredTrial> trials = store.trials(sweep.uid());
      assertThat(trials).hasSize(200).extracting(StoredTrial::trialIndex).doesNotHaveDuplicates();
      checkEveryTrial(db.dataSource(), sweep.uid(), trials);
      int killed = killedTrial;
      StoredTrial victim =
          trials.stream().filter(t -> t.trialIndex() == killed).findFirst().orElseThrow();
      assertThat(victim.failedAttempts()).as("the killed trainer's attempt").isEqualTo(1);
      assertThat(
              count(
                  db.dataSource(),
                  "SELECT count(*) FROM events e JOIN trials t ON t.id = e.trial_id"
                      + " JOIN sweeps s ON s.id = t.sweep_id WHERE s.uid = ?"
                      + " AND t.trial_index = ? AND e.message LIKE '%signal 9 (SIGKILL)%'",
                  sweep.uid(),
                  killed))
          .as("the failure's reason names the signal")
          .isEqualTo(1);
      assertThat(trials.stream().filter(t -> t.trialIndex() != killed))
          .as("an interrupted attempt uses no retry")
          .allSatisfy(t -> assertThat(t.failedAttempts()).isZero());
      assertThat(trials).as("relaunched after a kill").anyMatch(t -> t.attempt() > 1);
      long attempts = trials.stream().mapToLong(StoredTrial::attempt).sum();
      assertThat(
              count(
                  db.dataSource(),
                  "SELECT count(*) FROM events e JOIN sweeps s ON s.id = e.sweep_id"
                      + " WHERE s.uid = ? AND e.reason = 'Launched'",
                  sweep.uid()))
          .as("every attempt launched once")
          .isEqualTo(attempts);
      System.out.printf(
          "FaultsIT kills (seed %d): %s; %d trials, %d attempts%n", SEED, log, 200, attempts);
    }
    List<String> csv = Files.readAllLines(dir.resolve("faults-results.csv"));
    assertThat(csv).hasSize(1 + 40);
    assertThat(csv.subList(1, csv.size()))
        .as("every cell's 5 seeds counted once")
        .allSatisfy(row -> assertThat(row.split(",")[10]).as(row).isEqualTo("5"));
  }

  @Test
  void theDatabaseStoppedForThirtySecondsLosesNothing(@TempDir Path dir) throws Exception {
    int dbPort = freePort();
    Path data = dir.resolve("pg");
    EmbeddedPostgres pg = external(data, dbPort);
    Files.writeString(
        dir.resolve("outage.yaml"),
        sweep("outage", 2, 10).replace("depth: [2, 4, 6, 8, 10]", "depth: [2, 4, 6]"));
    Map<String, String> env = new HashMap<>();
    env.put("DKS_TRAINER_JAR", SimulatedTrainers.jar(dir).toString());
    env.put("DKS_SIM_EPOCH_MILLIS", "1500");
    env.put("DKS_SIM_STEPS", Integer.toString(STEPS));
    env.put("DKS_DB_URL", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
    env.put("DKS_DB_USER", "postgres");
    Process runner =
        AppProcess.start(
            dir, env, "run", "outage.yaml", "--data-dir", "home", "--port", "0", "--threads", "1");
    Path runs = dir.resolve("home").resolve("runs").resolve("outage");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (succeeded(runs) < 8 && System.nanoTime() < deadline && runner.isAlive()) {
      Thread.sleep(50);
    }
    assertThat(runner.isAlive()).as("stderr:%n%s", AppProcess.err(dir)).isTrue();
    URI ready = URI.create("http://127.0.0.1:" + apiPort(dir) + "/q/health/ready");
    assertThat(status(ready)).as("ready before the outage").isEqualTo(200);

    pg.close(); // fast shutdown: every connection is cut
    long stopped = System.nanoTime();
    int notReady = 0;
    int probes = 0;
    while (System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(30)) {
      probes++;
      if (status(ready) == 503) {
        notReady++;
      }
      assertThat(runner.isAlive()).as("stderr:%n%s", AppProcess.err(dir)).isTrue();
      Thread.sleep(1000);
    }
    long during = succeeded(runs);
    pg = external(data, dbPort);
    try {
      assertThat(runner.waitFor(4, TimeUnit.MINUTES)).as("finished after the outage").isTrue();
      assertThat(runner.exitValue()).as("stderr:%n%s", AppProcess.err(dir)).isZero();
      assertThat(notReady).as("readiness probes answered 503 of %d", probes).isEqualTo(probes);
      assertThat(AppProcess.err(dir))
          .contains("note: the database is unavailable")
          .contains("note: the database is back after");
      JdbcResultStore store = new JdbcResultStore(pg.getPostgresDatabase());
      StoredSweep sweep = store.latestSweep("local", "outage").orElseThrow();
      assertThat(sweep.phase()).isEqualTo(SweepPhase.COMPLETE);
      List<StoredTrial> trials = store.trials(sweep.uid());
      assertThat(trials).hasSize(48);
      checkEveryTrial(pg.getPostgresDatabase(), sweep.uid(), trials);
      assertThat(trials)
          .as("the outage cost no attempt and no retry")
          .allSatisfy(
              t -> {
                assertThat(t.attempt()).isEqualTo(1);
                assertThat(t.failedAttempts()).isZero();
              });
      System.out.printf(
          "FaultsIT outage: 30 s, %d readiness probes all 503, %d attempts ended during it%n",
          probes, during);
    } finally {
      pg.close();
    }
  }

  /**
   * Every trial Succeeded, its current attempt holding exactly the simulated trainer's points (each
   * step once, the validation values right), the trial's maintained point count equal to its stored
   * points, and its objective the best validation accuracy.
   */
  static void checkEveryTrial(DataSource ds, String uid, List<StoredTrial> trials)
      throws Exception {
    Map<Integer, Long> stored = new HashMap<>();
    Map<Integer, Long> distinct = new HashMap<>();
    Map<Integer, Map<Integer, Double>> accuracy = new HashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT t.trial_index, count(*),"
                    + " count(DISTINCT (p.name, p.step)) FROM metric_points p"
                    + " JOIN trials t ON t.id = p.trial_id JOIN sweeps s ON s.id = t.sweep_id"
                    + " WHERE s.uid = ? AND p.attempt = t.attempt GROUP BY t.trial_index")) {
      ps.setString(1, uid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          stored.put(rs.getInt(1), rs.getLong(2));
          distinct.put(rs.getInt(1), rs.getLong(3));
        }
      }
    }
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT t.trial_index, p.epoch, p.value FROM metric_points p"
                    + " JOIN trials t ON t.id = p.trial_id JOIN sweeps s ON s.id = t.sweep_id"
                    + " WHERE s.uid = ? AND p.attempt = t.attempt AND p.name = 'val_accuracy'")) {
      ps.setString(1, uid);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          accuracy
              .computeIfAbsent(rs.getInt(1), k -> new HashMap<>())
              .put(rs.getInt(2), rs.getDouble(3));
        }
      }
    }
    long expected = SimulatedTrainers.points(EPOCHS, STEPS);
    for (StoredTrial t : trials) {
      int i = t.trialIndex();
      assertThat(t.state()).as("trial %d", i).isEqualTo(TrialState.SUCCEEDED);
      assertThat(stored.get(i)).as("trial %d's points", i).isEqualTo(expected);
      assertThat(distinct.get(i)).as("trial %d's distinct points", i).isEqualTo(expected);
      assertThat(t.pointCount()).as("trial %d's maintained count", i).isEqualTo(expected);
      for (int e = 1; e <= EPOCHS; e++) {
        assertThat(accuracy.get(i))
            .as("trial %d", i)
            .containsEntry(e, SimulatedTrainers.valAccuracy(i, t.seed(), e));
      }
      assertThat(t.objective())
          .as("trial %d's objective", i)
          .isEqualTo(SimulatedTrainers.valAccuracy(i, t.seed(), EPOCHS));
    }
  }

  /** Attempts whose trainer wrote a succeeded summary. */
  static long succeeded(Path runs) throws IOException {
    if (!Files.isDirectory(runs)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(runs)) {
      return s.filter(p -> p.getFileName().toString().equals("summary.json"))
          .filter(
              p -> {
                try {
                  return Files.readString(p).contains("\"status\":\"succeeded\"");
                } catch (IOException e) {
                  return false;
                }
              })
          .count();
    }
  }

  private static ProcessHandle liveTrainer(Process runner, long deadline) throws Exception {
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> t =
          runner
              .toHandle()
              .children()
              .filter(p -> p.info().arguments().map(a -> a.length > 0).orElse(false))
              .filter(p -> attemptOf(p) > 0)
              .findFirst();
      if (t.isPresent()) {
        Thread.sleep(400); // into its first epoch
        if (t.get().isAlive()) {
          return t.get();
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no trainer started");
  }

  private static final Pattern SPEC = Pattern.compile("trial-(\\d+)/attempt-(\\d+)/spec\\.json");

  private static Matcher spec(ProcessHandle p) {
    String args = String.join(" ", p.info().arguments().orElse(new String[0]));
    Matcher m = SPEC.matcher(args);
    return m.find() ? m : null;
  }

  private static int trialIndexOf(ProcessHandle p) {
    return Integer.parseInt(spec(p).group(1));
  }

  private static int attemptOf(ProcessHandle p) {
    Matcher m = spec(p);
    return m == null ? 0 : Integer.parseInt(m.group(2));
  }

  private static EmbeddedPostgres external(Path data, int port) throws IOException {
    Files.createDirectories(data);
    return EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int apiPort(Path dir) throws Exception {
    Pattern api = Pattern.compile("API: +http://127\\.0\\.0\\.1:(\\d+)/");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher m = api.matcher(AppProcess.out(dir));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no API line in the output");
  }

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static int status(URI uri) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static long count(DataSource ds, String sql, Object... args) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
