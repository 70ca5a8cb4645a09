package dev.dkssweep.operator.ingest;

import dev.dkssweep.operator.Fixtures;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.store.Migrations;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.store.StoredTrial;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The HTTP ingest load benchmark (issue 14; not a test, docs/benchmarks.md says how to run it): the
 * packaged application ({@code serve}) on a real PostgreSQL, and N simulated trainers, each its own
 * thread and its own attempt token, each POSTing a batch of B points to {@code
 * /api/ingest/trials/<id>/metrics} every I ms (open loop: a batch's latency counts from when it was
 * due, so a server that falls behind cannot hide it). Prints offered and achieved points/s, the
 * latency percentiles, refusals, the points the database holds against those acknowledged (lost
 * must be 0), and the server's heap in use sampled every S seconds (a soak: a floor that rises over
 * the run is a leak). Throughput is over the whole run, until the last batch was answered.
 *
 * <p>Arguments: [trainers (200)] [seconds (60)] [batch (256)] [interval ms (500)] [sample s (10)].
 * {@code -Dbench.statements=N} also prints the N statements that took the database's time ({@code
 * pg_stat_statements}); {@code -Dbench.explain=MS} logs the plan of every statement slower than MS
 * milliseconds ({@code auto_explain}) to a file it names.
 */
public final class IngestLoadBench {

  static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
  public static final String UID = "load-bench";
  public static final String SECRET = "ingest-load-bench-secret-0123456789";
  static final String[] NAMES = {"train_loss", "val_loss", "val_accuracy", "learning_rate"};

  public static void main(String[] args) throws Exception {
    int trainers = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    long interval = args.length > 3 ? Long.parseLong(args[3]) : 500;
    int sample = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    int statements = Integer.getInteger("bench.statements", 0);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
    if (statements > 0) {
      builder
          .setServerConfig("pg_stat_statements.track", "all")
          .setServerConfig("pg_stat_statements.track_planning", "on");
    }
    String explain = System.getProperty("bench.explain", "");
    if (!explain.isEmpty()) {
      Path log = Files.createTempFile("ingest-load-postgres", ".log");
      System.out.println("statements slower than " + explain + " ms explained in " + log);
      builder
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .setServerConfig("auto_explain.log_min_duration", explain)
          .setServerConfig("auto_explain.log_analyze", "on")
          .setServerConfig("auto_explain.log_buffers", "on")
          .setServerConfig("auto_explain.log_nested_statements", "on");
    }
    List<String> preload = new ArrayList<>();
    if (statements > 0) {
      preload.add("pg_stat_statements");
    }
    if (!explain.isEmpty()) {
      preload.add("auto_explain");
    }
    if (!preload.isEmpty()) {
      builder.setServerConfig("shared_preload_libraries", String.join(",", preload));
    }
    try (EmbeddedPostgres db = builder.start()) {
      DataSource data = db.getPostgresDatabase();
      Migrations.apply(data);
      JdbcResultStore store = new JdbcResultStore(data);
      recordLoadSweep(store, trainers);
      prepare(data, System.getProperty("bench.sql", ""));
      if (statements > 0) {
        execute(data, "CREATE EXTENSION pg_stat_statements");
      }
      int port = freePort();
      Path dir = Files.createTempDirectory("ingest-load");
      ProcessBuilder pb =
          new ProcessBuilder(
                  command(
                      "serve",
                      "--jdbc-url",
                      db.getJdbcUrl("postgres", "postgres").replaceAll("[?&]user=[^&]*", ""),
                      "--data-dir",
                      dir.toString(),
                      "--port",
                      Integer.toString(port)))
              .redirectOutput(dir.resolve("out.txt").toFile())
              .redirectError(dir.resolve("err.txt").toFile());
      pb.environment().put("DKS_DB_USER", "postgres");
      pb.environment().put("DKS_INGEST_TOKEN_SECRET", SECRET);
      Process server = pb.start();
      try {
        run(store, data, statements, server, port, trainers, seconds, batch, interval, sample, dir);
      } finally {
        server.destroy();
        server.waitFor();
      }
    }
  }

  /**
   * Runs {@code -Dbench.sql="STATEMENT; STATEMENT"} on the database before the server starts (to
   * try a setting or a schema change), then reloads the configuration.
   */
  private static void prepare(DataSource data, String sql) throws SQLException {
    if (sql.isBlank()) {
      return;
    }
    try (Connection c = data.getConnection();
        Statement st = c.createStatement()) {
      for (String statement : sql.split(";")) {
        if (!statement.isBlank()) {
          System.out.println("bench.sql: " + statement.trim());
          st.execute(statement);
        }
      }
      st.execute("SELECT pg_reload_conf()");
    }
  }

  /**
   * The server's command line; {@code -Dbench.serverJvm="..."} adds JVM options (a flight
   * recording, a heap size) to it.
   */
  private static List<String> command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    String jvm = System.getProperty("bench.serverJvm", "").trim();
    if (!jvm.isEmpty()) {
      command.addAll(Arrays.asList(jvm.split("\\s+")));
    }
    command.add("-jar");
    command.add(APP.toString());
    command.addAll(Arrays.asList(args));
    return command;
  }

  /**
   * CPU seconds used so far by a process and the children it has waited for, from {@code
   * /proc/PID/stat} (utime, stime, cutime, cstime; clock ticks of 1/100 s); 0 where it cannot be
   * read.
   */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // f[0] is field 3 of the line (state), so utime (field 14) .. cstime (17) are f[11] .. f[14]
      long ticks = 0;
      for (int i = 11; i <= 14; i++) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * CPU seconds of every PostgreSQL process on the machine: the postmaster's own count holds the
   * backends that have ended, the live ones count for themselves. The benchmark's database is the
   * only one running where it is meant to run.
   */
  public static double postgresCpuSeconds() {
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              try {
                return Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm"))
                    .trim()
                    .equals("postgres");
              } catch (IOException e) {
                return false;
              }
            })
        .mapToDouble(p -> cpuSeconds(p.pid()))
        .sum();
  }

  private static void execute(DataSource data, String sql) throws SQLException {
    try (Connection c = data.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /**
   * With {@code -Dbench.statements=N}: the N statements that took the database's time during the
   * load, from {@code pg_stat_statements} (reset when the load starts; nested statements counted
   * too, so a CTE's trigger shows apart from its caller). Time is the backend's wall time in
   * planning and execution, not the commit's wait for the disk, which {@code COMMIT}'s row holds.
   */
  private static void printStatements(DataSource data, int limit, long requests)
      throws SQLException {
    String sql =
        """
        SELECT calls, total_plan_time + total_exec_time AS total_ms,
               (total_plan_time + total_exec_time) / nullif(calls, 0) AS mean_ms, total_plan_time,
               rows, shared_blks_hit + shared_blks_read AS blocks, toplevel,
               regexp_replace(left(query, 4000), '\\s+', ' ', 'g') AS query
          FROM pg_stat_statements
         WHERE query NOT LIKE '%pg_stat_statements%'
         ORDER BY total_plan_time + total_exec_time DESC
         LIMIT ?
        """;
    try (Connection c = data.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        System.out.printf(
            "statements by database time during the load (%d requests):%n"
                + "%9s %10s %8s %8s %9s %10s %5s  %s%n",
            requests, "calls", "total ms", "mean ms", "plan ms", "rows", "blocks", "top", "query");
        while (rs.next()) {
          String query = rs.getString(8);
          System.out.printf(
              "%9d %10.0f %8.3f %8.0f %9d %10d %5s  %s%n",
              rs.getLong(1),
              rs.getDouble(2),
              rs.getDouble(3),
              rs.getDouble(4),
              rs.getLong(5),
              rs.getLong(6),
              rs.getBoolean(7) ? "yes" : "no",
              query.length() > 160 ? query.substring(0, 160) + "..." : query);
        }
      }
    }
  }

  private static void run(
      JdbcResultStore store,
      DataSource data,
      int statements,
      Process server,
      int port,
      int trainers,
      int seconds,
      int batch,
      long interval,
      int sample,
      Path dir)
      throws Exception {
    String base = "http://127.0.0.1:" + port;
    HttpClient http = client();
    awaitReady(http, base, server, dir);
    if (statements > 0) {
      execute(data, "SELECT pg_stat_statements_reset()");
    }
    double serverCpu0 = cpuSeconds(server.pid());
    double pgCpu0 = postgresCpuSeconds();
    double selfCpu0 = cpuSeconds(ProcessHandle.current().pid());
    Load load =
        drive(http, base, trainers, seconds, batch, interval, sample, () -> liveHeap(http, base));
    double serverCpu = cpuSeconds(server.pid()) - serverCpu0;
    double pgCpu = postgresCpuSeconds() - pgCpu0;
    double selfCpu = cpuSeconds(ProcessHandle.current().pid()) - selfCpu0;
    load.samples().add(liveHeap(http, base));
    load.print(store);
    System.out.println("server heap used (MiB), every " + sample + " s: " + load.samples());
    double millions = Math.max(1, load.acknowledged()) / 1e6;
    System.out.printf(
        "CPU seconds: server %.1f, PostgreSQL %.1f, load generator %.1f"
            + " (per million points: %.1f, %.1f, %.1f; the machine has %d cores)%n",
        serverCpu,
        pgCpu,
        selfCpu,
        serverCpu / millions,
        pgCpu / millions,
        selfCpu / millions,
        Runtime.getRuntime().availableProcessors());
    if (statements > 0) {
      printStatements(data, statements, load.requests());
    }
  }

  /** The load generator's HTTP client (HTTP/1.1, as the trainers' reporter speaks it). */
  public static HttpClient client() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * What a load run did: points acknowledged, requests refused or failed, every request's latency
   * from its due time (sorted, ns), requests sent, the run's length until the last answer, and what
   * the sampler returned every sample interval.
   */
  public record Load(
      int trainers,
      int batch,
      long interval,
      int seconds,
      long acknowledged,
      long refused,
      long[] latencies,
      long requests,
      double secs,
      List<String> samples) {

    /** Prints the offered and achieved rates, the latencies and the points lost. */
    public void print(JdbcResultStore store) {
      long stored = store.trials(UID).stream().mapToLong(StoredTrial::pointCount).sum();
      System.out.printf(
          "trainers %d, batch %d points every %d ms, %d s%n", trainers, batch, interval, seconds);
      System.out.printf(
          "offered %.0f points/s; acknowledged %d points in %d requests in %.1f s = %.0f points/s%n",
          trainers * batch * 1000.0 / interval, acknowledged, requests, secs, acknowledged / secs);
      System.out.printf(
          "latency from due time: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          pct(latencies, 0.50),
          pct(latencies, 0.95),
          pct(latencies, 0.99),
          latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
      System.out.printf(
          "refused or failed requests %d; points stored %d, acknowledged %d, lost %d%n",
          refused, stored, acknowledged, acknowledged - stored);
    }
  }

  /**
   * Records the load's sweep in {@code store}: one running trial (attempt 1) per trainer, whose
   * tokens {@link #drive} signs with {@link #SECRET}.
   */
  public static void recordLoadSweep(JdbcResultStore store, int trainers) {
    String[] workers = new String[trainers];
    Arrays.fill(workers, "pid:1");
    Fixtures.runningSweep(store, UID, "local", "load", workers);
  }

  /**
   * Runs the load against the ingest API at {@code base}: {@code trainers} threads, each POSTing a
   * batch of {@code batch} points every {@code interval} ms for {@code seconds} s, open loop; calls
   * {@code sampler} every {@code sample} s meanwhile. Returns once every batch was answered.
   */
  public static Load drive(
      HttpClient http,
      String base,
      int trainers,
      int seconds,
      int batch,
      long interval,
      int sample,
      java.util.function.Supplier<String> sampler)
      throws InterruptedException {
    TrialTokens tokens = new TrialTokens(SECRET.getBytes(StandardCharsets.UTF_8));
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long[][] latencies = new long[trainers][];
    int[] sent = new int[trainers];
    long start = System.nanoTime() + 1_000_000_000L;
    long end = start + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(trainers);
    for (int t = 0; t < trainers; t++) {
      int trial = t;
      latencies[t] = new long[(int) (seconds * 1000 / interval) + 2];
      Thread thread =
          new Thread(
              () -> {
                try {
                  trainer(
                      http,
                      base,
                      tokens,
                      trial,
                      trainers,
                      batch,
                      interval,
                      start,
                      end,
                      latencies[trial],
                      sent,
                      acknowledged,
                      refused);
                } finally {
                  done.countDown();
                }
              },
              "trainer-" + t);
      thread.setDaemon(true);
      thread.start();
    }
    List<String> samples = new ArrayList<>();
    while (!done.await(sample, java.util.concurrent.TimeUnit.SECONDS)) {
      samples.add(sampler.get());
    }
    long finished = System.nanoTime();
    long[] all =
        Arrays.stream(latencies)
            .flatMapToLong(a -> Arrays.stream(a).filter(v -> v > 0))
            .sorted()
            .toArray();
    return new Load(
        trainers,
        batch,
        interval,
        seconds,
        acknowledged.get(),
        refused.get(),
        all,
        Arrays.stream(sent).sum(),
        (finished - start) / 1e9,
        samples);
  }

  private static void trainer(
      HttpClient http,
      String base,
      TrialTokens tokens,
      int trial,
      int trainers,
      int batch,
      long interval,
      long start,
      long end,
      long[] latencies,
      int[] sent,
      AtomicLong acknowledged,
      AtomicLong refused) {
    String id = UID + "-" + trial;
    URI uri = URI.create(base + "/api/ingest/trials/" + id + "/metrics");
    String auth = "Bearer " + tokens.token(new TrialKey(UID, trial, 1));
    long step = 0;
    // spread the trainers over the interval, as independent processes would be
    long due = start + interval * 1_000_000L * trial / trainers;
    int k = 0;
    while (due < end && k < latencies.length) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
      StringBuilder json = new StringBuilder(batch * 90);
      json.append("{\"trialId\":\"").append(id).append("\",\"attempt\":1,\"points\":[");
      long now = System.currentTimeMillis();
      for (int i = 0; i < batch; i++) {
        long s = step + i / NAMES.length + 1;
        if (i > 0) {
          json.append(',');
        }
        json.append("{\"step\":")
            .append(s)
            .append(",\"epoch\":1,\"name\":\"")
            .append(NAMES[i % NAMES.length])
            .append("\",\"value\":")
            .append(1.0 / s)
            .append(",\"time\":")
            .append(now)
            .append('}');
      }
      json.append("]}");
      step += (batch + NAMES.length - 1) / NAMES.length;
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofString(json.toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        latencies[k] = Math.max(1, System.nanoTime() - due);
        if (r.statusCode() == 200) {
          acknowledged.addAndGet(batch);
        } else {
          refused.incrementAndGet();
        }
      } catch (IOException | InterruptedException e) {
        latencies[k] = Math.max(1, System.nanoTime() - due);
        refused.incrementAndGet();
      }
      k++;
      synchronized (sent) {
        sent[trial]++;
      }
      due += interval * 1_000_000L;
    }
  }

  public static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }

  private static final Pattern HEAP =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+]+)");

  public static String liveHeap(HttpClient http, String base) {
    String metrics = scrape(http, base);
    return metrics.isEmpty() ? "error" : heapUsed(metrics);
  }

  /** The application's Prometheus scrape ({@code /q/metrics}); empty when it cannot be read. */
  public static String scrape(HttpClient http, String base) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException | InterruptedException e) {
      return "";
    }
  }

  /** The heap in use, MiB, summed over the heap's pools of a Prometheus scrape. */
  public static String heapUsed(String metrics) {
    Matcher m = HEAP.matcher(metrics);
    double used = 0;
    while (m.find()) {
      used += Double.parseDouble(m.group(1));
    }
    return String.format("%.0f", used / (1 << 20));
  }

  private static void awaitReady(HttpClient http, String base, Process server, Path dir)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && server.isAlive()) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "the server did not get ready: " + Files.readString(dir.resolve("err.txt")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
