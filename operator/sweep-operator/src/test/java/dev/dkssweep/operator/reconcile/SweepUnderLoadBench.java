package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.OperatorReplica;
import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.operator.api.v1alpha1.SweepStatus;
import dev.dkssweep.operator.ingest.IngestLoadBench;
import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.sweep.planning.BenchSweeps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator under both of its loads at once (issue 14; not a test, docs/benchmarks.md says how
 * to run it): the packaged application in its prod profile (leader election, the Sweep reconciler,
 * the ingest API) on an embedded PostgreSQL, reconciling a large Sweep on Fabric8's mock API server
 * ({@link SimulatedCluster} in mode {@code prod}, a process of its own, whose simulated trainers
 * finish each trial Job at once), while {@link IngestLoadBench}'s simulated trainers push metric
 * batches through the same application's HTTP ingest endpoint. Prints the ingest figures (points/s,
 * latency from due time, points lost), the sweep's time to Complete and Jobs created per second,
 * the reconcile p50/p99 the application publishes ({@code dks_reconcile_seconds}), its heap, and
 * the CPU seconds of each process.
 *
 * <p>Arguments: [trials (10000)] [parallelism (200)] [trainers (200, 0: the sweep alone)] [seconds
 * of load (120)] [batch (256)] [interval ms (2000)] [sample s (10)]. With trials 0 the load runs
 * alone against the same application (no Sweep). {@code -Dbench.operatorJvm="-Xmx512m"} sets the
 * application's JVM options.
 */
public final class SweepUnderLoadBench {

  static final String NS = "bench";

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int trainers = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 120;
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : 256;
    long interval = args.length > 5 ? Long.parseLong(args[5]) : 2000;
    int sample = args.length > 6 ? Integer.parseInt(args[6]) : 10;
    Path work = Files.createTempDirectory("sweep-under-load");
    Process cluster = ScaleBench.startCluster("prod");
    BufferedReader fromCluster =
        new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
    int clusterPort = Integer.parseInt(fromCluster.readLine().substring("ready ".length()));
    try (KubernetesClient client = SimulatedCluster.client(clusterPort);
        EmbeddedDatabase db = EmbeddedDatabase.start(null)) {
      ClusterFixtures.installCrdAndNamespace(client, NS);
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
      IngestLoadBench.recordLoadSweep(store, trainers);
      int port = OperatorReplica.freePort();
      String jvm = System.getProperty("bench.operatorJvm", "").trim();
      Map<String, String> env =
          new java.util.HashMap<>(
              Map.ofEntries(
                  Map.entry("KUBERNETES_MASTER", "http://localhost:" + clusterPort + "/"),
                  Map.entry("KUBERNETES_NAMESPACE", NS),
                  Map.entry("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl()),
                  Map.entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                  Map.entry("QUARKUS_OPERATOR_SDK_CONTROLLERS_SWEEP_NAMESPACES", NS),
                  Map.entry("DKS_OPERATOR_LEASE_NAMESPACE", NS),
                  Map.entry("DKS_INGEST_URL", "http://127.0.0.1:" + port + "/api/ingest"),
                  Map.entry("DKS_INGEST_TOKEN_SECRET", IngestLoadBench.SECRET)));
      if (!jvm.isEmpty()) {
        env.put("JAVA_TOOL_OPTIONS", jvm);
      }
      try (OperatorReplica operator = OperatorReplica.start("bench-operator", port, work, env)) {
        run(
            client,
            db,
            store,
            operator,
            cluster,
            trials,
            parallelism,
            trainers,
            seconds,
            batch,
            interval,
            sample);
      } finally {
        System.out.println("work directory (the application's log): " + work);
        cluster.getOutputStream().write("report\n".getBytes(StandardCharsets.UTF_8));
        cluster.getOutputStream().flush();
        String line;
        while ((line = fromCluster.readLine()) != null && !line.equals("end")) {
          System.out.println(line);
        }
      }
    } finally {
      cluster.destroy();
    }
    System.exit(0); // the HTTP clients' event loops are not daemon threads
  }

  private static void run(
      KubernetesClient client,
      EmbeddedDatabase db,
      JdbcResultStore store,
      OperatorReplica operator,
      Process cluster,
      int trials,
      int parallelism,
      int trainers,
      int seconds,
      int batch,
      long interval,
      int sample)
      throws Exception {
    HttpClient http = IngestLoadBench.client();
    String base = "http://127.0.0.1:" + operator.port();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!leads(operator)) {
      if (System.nanoTime() > deadline || !operator.isAlive()) {
        throw new IllegalStateException("the application did not lead: " + operator.log());
      }
      Thread.sleep(200);
    }
    long pid = operator.pid();
    double opCpu0 = IngestLoadBench.cpuSeconds(pid);
    double pgCpu0 = IngestLoadBench.postgresCpuSeconds();
    double clusterCpu0 = IngestLoadBench.cpuSeconds(cluster.pid());
    double selfCpu0 = IngestLoadBench.cpuSeconds(ProcessHandle.current().pid());
    long t0 = System.nanoTime();
    if (trials > 0) {
      client
          .resources(Sweep.class)
          .inNamespace(NS)
          .resource(
              client
                  .getKubernetesSerialization()
                  .unmarshal(sweep(trials, parallelism), Sweep.class))
          .create();
    }
    AtomicReference<IngestLoadBench.Load> load = new AtomicReference<>();
    AtomicReference<Exception> loadFailed = new AtomicReference<>();
    Thread loader =
        new Thread(
            () -> {
              try {
                load.set(
                    IngestLoadBench.drive(
                        http, base, trainers, seconds, batch, interval, sample, () -> ""));
              } catch (Exception e) {
                loadFailed.set(e);
              }
            },
            "load");
    loader.start();
    List<String> samples = new ArrayList<>();
    long nextSample = System.nanoTime();
    double completeAfter = -1;
    String phase = trials > 0 ? "" : "Complete";
    long sweepDeadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    while ((!phase.equals("Complete") && !phase.equals("Failed")) || loader.isAlive()) {
      if (System.nanoTime() >= nextSample) {
        samples.add(sampleOf(http, base));
        nextSample += sample * 1_000_000_000L;
      }
      if (completeAfter < 0 && trials > 0) {
        Sweep s = client.resources(Sweep.class).inNamespace(NS).withName("scale").get();
        SweepStatus st = s == null ? null : s.getStatus();
        phase = st == null || st.phase() == null ? "" : st.phase();
        if (phase.equals("Complete") || phase.equals("Failed")) {
          completeAfter = (System.nanoTime() - t0) / 1e9;
        }
      }
      if (System.nanoTime() > sweepDeadline || !operator.isAlive()) {
        throw new IllegalStateException("the sweep did not end in 30 minutes: phase " + phase);
      }
      Thread.sleep(250);
    }
    loader.join();
    double opCpu = IngestLoadBench.cpuSeconds(pid) - opCpu0;
    double pgCpu = IngestLoadBench.postgresCpuSeconds() - pgCpu0;
    double clusterCpu = IngestLoadBench.cpuSeconds(cluster.pid()) - clusterCpu0;
    double selfCpu = IngestLoadBench.cpuSeconds(ProcessHandle.current().pid()) - selfCpu0;
    String metrics = IngestLoadBench.scrape(http, base);
    samples.add(sampleOf(http, base));
    if (loadFailed.get() != null) {
      throw loadFailed.get();
    }
    if (trainers > 0) {
      load.get().print(store);
    }
    if (trials > 0) {
      Sweep s = client.resources(Sweep.class).inNamespace(NS).withName("scale").get();
      SweepStatus st = s.getStatus();
      double jobs = value(metrics, "dks_jobs_created_total");
      System.out.printf(
          "sweep: %d trials, parallelism %d: %s in %.1f s (%s, succeeded %d, failed %d); %.0f Jobs"
              + " created = %.1f Jobs/s%n",
          trials,
          parallelism,
          phase,
          completeAfter,
          st.progress(),
          st.counts().succeeded(),
          st.counts().failed(),
          jobs,
          jobs / completeAfter);
      relaunched(db);
      double count = value(metrics, "dks_reconcile_seconds_count");
      System.out.printf(
          "reconciles %.0f, mean %.1f ms, max %.1f ms; status object %d bytes%n",
          count,
          1000 * value(metrics, "dks_reconcile_seconds_sum") / Math.max(1, count),
          1000 * value(metrics, "dks_reconcile_seconds_max"),
          client.getKubernetesSerialization().asJson(st).length());
    }
    System.out.println(
        "every " + sample + " s: heap used MiB / reconcile p50 ms / p99 ms (last 2 minutes):");
    System.out.println("  " + String.join(", ", samples));
    System.out.printf(
        "CPU seconds: application %.1f, PostgreSQL %.1f, cluster %.1f, load generator %.1f (%d"
            + " cores)%n",
        opCpu, pgCpu, clusterCpu, selfCpu, Runtime.getRuntime().availableProcessors());
  }

  /** Prints the trials of the bench's Sweep that took more than one attempt, with their events. */
  private static void relaunched(EmbeddedDatabase db) throws java.sql.SQLException {
    try (var c = db.dataSource().getConnection();
        var st =
            c.prepareStatement(
                """
                SELECT t.trial_index, t.attempt, t.state, e.occurred_at, e.reason, e.message
                  FROM trials t JOIN sweeps s ON s.id = t.sweep_id
                  LEFT JOIN events e ON e.trial_id = t.id
                 WHERE s.name = 'scale' AND t.attempt > 1
                 ORDER BY t.trial_index, e.occurred_at""");
        var rs = st.executeQuery()) {
      while (rs.next()) {
        System.out.printf(
            "  more than one attempt: trial %d (attempt %d, %s): %s %s %s%n",
            rs.getInt(1),
            rs.getInt(2),
            rs.getString(3),
            rs.getTimestamp(4),
            rs.getString(5),
            rs.getString(6));
      }
    }
  }

  /** Whether the application holds the lease (its readiness says leader). */
  private static boolean leads(OperatorReplica operator) {
    try {
      return operator.readiness().contains("leader");
    } catch (IOException | InterruptedException | AssertionError e) {
      return false; // not serving or not ready yet
    }
  }

  /** The bench's Sweep: {@link BenchSweeps#spec(int, int)} as a resource. */
  static String sweep(int trials, int parallelism) {
    return """
        apiVersion: dkssweep.dev/v1alpha1
        kind: Sweep
        metadata:
          name: scale
          namespace: %s
        spec:
        """
            .formatted(NS)
        + BenchSweeps.spec(trials, parallelism).indent(2);
  }

  /** heap MiB / reconcile p50 ms / p99 ms, from the application's metrics. */
  private static String sampleOf(HttpClient http, String base) {
    String m = IngestLoadBench.scrape(http, base);
    return String.format(
        "%s/%.0f/%.0f",
        IngestLoadBench.heapUsed(m),
        1000 * value(m, "dks_reconcile_seconds{quantile=\"0.5\"}"),
        1000 * value(m, "dks_reconcile_seconds{quantile=\"0.99\"}"));
  }

  /** The value of the first line of {@code metrics} that starts with {@code name} (0 if none). */
  static double value(String metrics, String name) {
    String key = name.contains("{") ? name.substring(0, name.length() - 1) : name;
    Matcher m =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(key)
                    + (name.contains("{") ? "[^}]*\\}" : "(\\{[^}]*\\})?")
                    + " ([0-9.eE+-]+|NaN)$")
            .matcher(metrics);
    if (!m.find()) {
      return 0;
    }
    String v = m.group(m.groupCount());
    return v.equals("NaN") ? 0 : Double.parseDouble(v);
  }
}
