package dev.dkssweep.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.operator.execution.kubernetes.JobFactory;
import dev.dkssweep.operator.execution.kubernetes.JobTrialExecutor;
import dev.dkssweep.operator.execution.kubernetes.TrainerPodSettings;
import dev.dkssweep.operator.execution.kubernetes.WorkloadCache;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.store.Migrations;
import dev.dkssweep.sweep.control.LaunchSettings;
import dev.dkssweep.sweep.control.SpecPolicy;
import dev.dkssweep.sweep.control.SweepRequest;
import dev.dkssweep.sweep.control.SweepRound;
import dev.dkssweep.sweep.control.SweepStatus;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.store.ResultStore;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scale benchmark of the operator's control loop (not a test; docs/benchmarks.md says how to
 * run it): a 10,000-trial Sweep driven to Complete by the same round the reconciler runs, with the
 * Job executor, informers for Jobs and pods, and the JDBC store on an embedded PostgreSQL. The
 * cluster runs in a process of its own ({@link SimulatedCluster}: Fabric8's mock API server in CRUD
 * mode and simulated trainers), so that this process's CPU and heap are the operator's. Prints Jobs
 * created per second, the round's p50/p99, the operator's CPU per Job, the peak heap, the status
 * object's size and the cluster's requests by kind.
 *
 * <p>Arguments: [trials (10000)] [parallelism (200)] [real|mock] [launches per round (16, the
 * operator's default {@code dks.operator.launches-per-reconcile})]. With {@code real}, the API
 * server is the one {@code KUBECONFIG} names instead of the mock (run its control plane without
 * kube-controller-manager: the simulated kubelet plays the Job controller and the garbage
 * collector, and the bench's Sweep owner does not exist there). {@code BENCH_CLUSTER_CPUS} pins the
 * cluster's process to those CPUs (taskset's list); pin this one with taskset as well to keep the
 * two apart.
 */
public final class ScaleBench {

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    boolean real = args.length > 2 && args[2].equals("real");
    int launchesPerRound = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    Process cluster = startCluster(real);
    BufferedReader fromCluster =
        new BufferedReader(
            new InputStreamReader(
                cluster.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    int port = Integer.parseInt(fromCluster.readLine().substring("ready ".length()));
    try (KubernetesClient client =
            real
                ? new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()
                : SimulatedCluster.client(port);
        EmbeddedDatabase db = EmbeddedDatabase.start(null)) {
      // pooled, as the application's datasource is (Agroal, 8 connections)
      AgroalDataSource pool =
          AgroalDataSource.from(
              new AgroalDataSourceConfigurationSupplier()
                  .connectionPoolConfiguration(
                      p ->
                          p.maxSize(8)
                              .acquisitionTimeout(Duration.ofSeconds(30))
                              .connectionFactoryConfiguration(
                                  f ->
                                      f.jdbcUrl(db.jdbcUrl())
                                          .principal(new NamePrincipal("postgres")))));
      Migrations.apply(pool);
      if (real && client.namespaces().withName("bench").get() == null) {
        client
            .namespaces()
            .resource(
                new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata()
                    .withName("bench")
                    .endMetadata()
                    .build())
            .create();
        // without kube-controller-manager nobody creates the namespace's default service account
        client
            .serviceAccounts()
            .inNamespace("bench")
            .resource(
                new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                    .withNewMetadata()
                    .withName("default")
                    .endMetadata()
                    .build())
            .create();
      }
      Map<String, long[]> spent = new java.util.concurrent.ConcurrentHashMap<>();
      ResultStore store = timed(ResultStore.class, new JdbcResultStore(pool), "store.", spent);
      SharedIndexInformer<Job> jobs =
          client
              .batch()
              .v1()
              .jobs()
              .inAnyNamespace()
              .withLabelSelector(WorkloadNames.SELECTOR)
              .inform();
      SharedIndexInformer<Pod> pods =
          client.pods().inAnyNamespace().withLabelSelector(WorkloadNames.SELECTOR).inform();
      WorkloadCache cache = cache(jobs, pods);
      AtomicLong created = new AtomicLong();
      String uid = "scale-uid";
      JobTrialExecutor executor =
          new JobTrialExecutor(
              client,
              new JobFactory(TrainerPodSettings.defaults()),
              cache,
              u ->
                  Optional.of(
                      new OwnerReferenceBuilder()
                          .withApiVersion("dkssweep.dev/v1alpha1")
                          .withKind("Sweep")
                          .withName("scale")
                          .withUid(uid)
                          .build()),
              Duration.ofMinutes(10),
              Clock.systemUTC(),
              created::incrementAndGet,
              u -> {});
      SweepRound round =
          new SweepRound(
              store,
              timed(TrialExecutor.class, executor, "executor.", spent),
              new LaunchSettings(null, id -> "t", 1, launchesPerRound),
              Clock.systemUTC(),
              SpecPolicy.NONE);
      String yaml = dev.dkssweep.sweep.planning.BenchSweeps.spec(trials, parallelism);
      SweepRequest request =
          SweepRequest.run(uid, "bench", "scale", 1, SweepDocuments.read(yaml, "scale").spec());
      Instant t0 = Instant.now();
      round.prepare(request);
      Duration prepare = Duration.between(t0, Instant.now());
      List<Long> rounds = new ArrayList<>();
      long peakHeap = 0;
      long peakLive = 0;
      long liveSum = 0;
      int liveMax = 0;
      Instant firstLaunch = null;
      SweepStatus s;
      Instant start = Instant.now();
      long cpu0 =
          ((com.sun.management.OperatingSystemMXBean)
                  java.lang.management.ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      double pg0 = postgresCpuSeconds();
      Map<String, Double> threads0 = threadCpu();
      while (true) {
        long r0 = System.nanoTime();
        s = round.run(request);
        rounds.add(System.nanoTime() - r0);
        if (firstLaunch == null && created.get() > 0) {
          firstLaunch = Instant.now();
        }
        Runtime rt = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        peakLive = Math.max(peakLive, liveAfterGc());
        liveSum += s.liveAttempts();
        liveMax = Math.max(liveMax, s.liveAttempts());
        if (s.phase().finished() && s.settled()) {
          break;
        }
        if (s.deferredLaunches() == 0) {
          Thread.sleep(20); // as the reconciler, which reschedules at once when launches wait
        }
      }
      Duration wall = Duration.between(start, Instant.now());
      List<Long> sorted = new ArrayList<>(rounds);
      sorted.sort(Long::compare);
      var status =
          StatusMapper.status(s, 1, false, null, Instant.now(), Optional.of("https://dks.example"));
      int statusBytes = new ObjectMapper().writeValueAsBytes(status).length;
      System.out.printf(
          "%s: trials %d, parallelism %d, launches per round %d: %s (%s), %d Jobs created%n",
          real ? "real API server" : "mock API server",
          s.counts().total(),
          parallelism,
          launchesPerRound,
          s.phase().column(),
          s.reason(),
          created.get());
      System.out.printf(
          "prepare (validate, record %d trials, preflight) %.1f s; run to Complete %.1f s%n",
          s.counts().total(), prepare.toMillis() / 1e3, wall.toMillis() / 1e3);
      System.out.printf(
          "Jobs created per second (whole run) %.0f%n", created.get() / (wall.toMillis() / 1e3));
      System.out.printf(
          "rounds %d: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          rounds.size(),
          sorted.get(sorted.size() / 2) / 1e6,
          sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.9) - 1)) / 1e6,
          sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
          sorted.get(sorted.size() - 1) / 1e6);
      System.out.printf(
          "attempts alive after a round: mean %.0f, max %d (parallelism %d)%n",
          liveSum / (double) rounds.size(), liveMax, parallelism);
      System.out.printf(
          "peak heap used %.0f MiB, peak live after a GC %.0f MiB (max %d MiB); status object %d"
              + " bytes%n",
          peakHeap / 1048576.0,
          peakLive / 1048576.0,
          Runtime.getRuntime().maxMemory() / 1048576,
          statusBytes);
      long roundsNanos = rounds.stream().mapToLong(Long::longValue).sum();
      System.out.printf("where the rounds' %.1f s went (calls, seconds):%n", roundsNanos / 1e9);
      spent.entrySet().stream()
          .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
          .limit(12)
          .forEach(
              e ->
                  System.out.printf(
                      "  %-28s %7d %8.2f%n", e.getKey(), e.getValue()[0], e.getValue()[1] / 1e9));
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      double pg = postgresCpuSeconds() - pg0;
      System.out.printf(
          "operator CPU from the first round on: %.1f s (%.2f ms per Job created), its"
              + " PostgreSQL %.1f s (the processes alive at the end)%n",
          cpu, cpu * 1e3 / created.get(), pg);
      System.out.println("  by thread (CPU seconds; the rest is the JVM's own: JIT, GC):");
      Map<String, Double> byThread = threadCpu();
      threads0.forEach((name, seconds) -> byThread.merge(name, -seconds, Double::sum));
      byThread.entrySet().stream()
          .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
          .limit(8)
          .forEach(e -> System.out.printf("    %-28s %6.1f%n", e.getKey(), e.getValue()));
      try (var toCluster = cluster.getOutputStream()) {
        toCluster.write("report\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      for (String line = fromCluster.readLine();
          line != null && !line.equals("end");
          line = fromCluster.readLine()) {
        System.out.println(line);
      }
    } finally {
      cluster.destroy();
    }
    System.exit(0); // the informers' threads
  }

  /**
   * The simulated cluster in a process of its own (same classpath), pinned to the CPUs in {@code
   * BENCH_CLUSTER_CPUS} when set (taskset's list, e.g. {@code 1}); its errors go to this stderr.
   */
  private static Process startCluster(boolean real) throws java.io.IOException {
    return startCluster(real ? "real" : "mock");
  }

  /** Starts {@link SimulatedCluster} in {@code mode} in a process of its own. */
  static Process startCluster(String mode) throws java.io.IOException {
    List<String> command = new ArrayList<>();
    String cpus = System.getenv("BENCH_CLUSTER_CPUS");
    if (cpus != null && !cpus.isBlank()) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.addAll(
        List.of(
            java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g",
            "-Djava.util.logging.config.file="
                + System.getProperty("java.util.logging.config.file", ""),
            "-cp",
            System.getProperty("java.class.path"),
            SimulatedCluster.class.getName()));
    command.add(mode);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** CPU seconds of this process's live threads, by name with digits folded. */
  private static Map<String, Double> threadCpu() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Double> out = new java.util.TreeMap<>();
    for (long id : threads.getAllThreadIds()) {
      var info = threads.getThreadInfo(id);
      long nanos = threads.getThreadCpuTime(id);
      if (info != null && nanos > 0) {
        out.merge(info.getThreadName().replaceAll("[0-9]+", "N"), nanos / 1e9, Double::sum);
      }
    }
    return out;
  }

  /** CPU seconds of the PostgreSQL processes alive now. */
  private static double postgresCpuSeconds() {
    return ProcessHandle.allProcesses()
            .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
            .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
            .sum()
        / 1e9;
  }

  /** The heap the last collections left in use (each pool's occupancy after its last GC). */
  private static long liveAfterGc() {
    long live = 0;
    for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP
          && pool.getCollectionUsage() != null) {
        live += pool.getCollectionUsage().getUsed();
      }
    }
    return live;
  }

  /** {@code target} with the wall time of each method's calls added to {@code spent}. */
  @SuppressWarnings("unchecked")
  static <T> T timed(Class<T> type, T target, String prefix, Map<String, long[]> spent) {
    return (T)
        java.lang.reflect.Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              long t0 = System.nanoTime();
              try {
                return method.invoke(target, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              } finally {
                long[] c = spent.computeIfAbsent(prefix + method.getName(), k -> new long[2]);
                synchronized (c) {
                  c[0]++;
                  c[1] += System.nanoTime() - t0;
                }
              }
            });
  }

  private static WorkloadCache cache(SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods) {
    jobs.addIndexers(Map.of("uid", WorkloadNames::sweepUid));
    pods.addIndexers(Map.of("uid", WorkloadNames::sweepUid));
    return new WorkloadCache() {
      @Override
      public List<Job> jobs(String sweepUid) {
        return jobs.getIndexer().byIndex("uid", sweepUid);
      }

      @Override
      public List<Pod> pods(String sweepUid) {
        return pods.getIndexer().byIndex("uid", sweepUid);
      }
    };
  }
}
