package dev.dkssweep.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.execution.kubernetes.JobFactory;
import dev.dkssweep.operator.execution.kubernetes.JobStateMapper;
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
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.TestSummaries;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scale benchmark of the operator's control loop (not a test; docs/benchmarks.md says how to
 * run it): a 10,000-trial Sweep driven to Complete by the same round the reconciler runs, with the
 * Job executor on Fabric8's mock API server (CRUD mode), informers for Jobs and pods, the JDBC
 * store on an embedded PostgreSQL, and simulated trainers (a kubelet that completes each Job at
 * once, its pod carrying the trainer's summary as termination message). Prints Jobs created per
 * second, the round's p50/p99, the peak heap and the status object's size.
 *
 * <p>Arguments: [trials (10000)] [parallelism (200)] [real|mock] [launches per round (16, the
 * operator's default {@code dks.operator.launches-per-reconcile})]. With {@code real}, the API
 * server is the one {@code KUBECONFIG} names instead of the mock (run its control plane without
 * kube-controller-manager: the simulated kubelet plays the Job controller and the garbage
 * collector, and the bench's Sweep owner does not exist there).
 */
public final class ScaleBench {

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    // 4 methods x 5 activations x 5 widths x 2 rates = 200 cells per depth
    int depths = Math.max(1, trials / 200);
    String depthList =
        String.join(
            ", ",
            java.util.stream.IntStream.rangeClosed(1, depths)
                .mapToObj(d -> Integer.toString(2 * d))
                .toList());
    boolean real = args.length > 2 && args[2].equals("real");
    int launchesPerRound = args.length > 3 ? Integer.parseInt(args[3]) : 16;
    KubernetesMockServer server = ClusterFixtures.crudServer();
    if (!real) {
      server.init();
    }
    try (KubernetesClient client =
            real
                ? new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()
                : server.createClient();
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
      ExecutorService kubelet = Executors.newFixedThreadPool(4);
      jobs.addEventHandler(completeEach(client, kubelet));
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
      String yaml =
          """
          objective: {metric: val_accuracy, goal: maximize, reduce: max}
          space:
            method: [dks, tat, standard, orthogonal]
            activation: [tanh, softplus, sigmoid, swish, gelu]
            depth: [%s]
            width: [16, 32, 64, 128, 256]
            learningRate: {values: [0.001, 0.01]}
            dataset: [synthetic-clusters]
            epochs: 1
          parallelism: %d
          retry: {maxRetries: 0}
          """
              .formatted(depthList, parallelism);
      SweepRequest request =
          SweepRequest.run(uid, "bench", "scale", 1, SweepDocuments.read(yaml, "scale").spec());
      Instant t0 = Instant.now();
      round.prepare(request);
      Duration prepare = Duration.between(t0, Instant.now());
      List<Long> rounds = new ArrayList<>();
      long peakHeap = 0;
      Instant firstLaunch = null;
      SweepStatus s;
      Instant start = Instant.now();
      while (true) {
        long r0 = System.nanoTime();
        s = round.run(request);
        rounds.add(System.nanoTime() - r0);
        if (firstLaunch == null && created.get() > 0) {
          firstLaunch = Instant.now();
        }
        Runtime rt = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
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
          "rounds %d: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          rounds.size(),
          sorted.get(sorted.size() / 2) / 1e6,
          sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)) / 1e6,
          sorted.get(sorted.size() - 1) / 1e6);
      System.out.printf(
          "peak heap used %.0f MiB (max %d MiB); status object %d bytes%n",
          peakHeap / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576, statusBytes);
      long roundsNanos = rounds.stream().mapToLong(Long::longValue).sum();
      System.out.printf("where the rounds' %.1f s went (calls, seconds):%n", roundsNanos / 1e9);
      spent.entrySet().stream()
          .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
          .limit(12)
          .forEach(
              e ->
                  System.out.printf(
                      "  %-28s %7d %8.2f%n", e.getKey(), e.getValue()[0], e.getValue()[1] / 1e9));
      kubelet.shutdownNow();
    } finally {
      if (!real) {
        server.destroy();
      }
    }
    System.exit(0); // the informers' and the mock server's threads
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

  /** The simulated trainers: each new Job's pod exits 0 at once with a summary. */
  private static ResourceEventHandler<Job> completeEach(
      KubernetesClient client, ExecutorService pool) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        pool.submit(() -> complete(client, job));
      }

      @Override
      public void onUpdate(Job before, Job after) {}

      /** The garbage collector's part: a deleted Job's pod goes with it. */
      @Override
      public void onDelete(Job job, boolean unknown) {
        pool.submit(
            () ->
                client
                    .pods()
                    .inNamespace(job.getMetadata().getNamespace())
                    .withName(job.getMetadata().getName() + "-p")
                    .delete());
      }
    };
  }

  private static void complete(KubernetesClient client, Job job) {
    try {
      completeOrThrow(client, job);
    } catch (RuntimeException e) {
      e.printStackTrace(); // a bench that stalls says why
    }
  }

  private static void completeOrThrow(KubernetesClient client, Job job) {
    TrialKey key = JobStateMapper.key(job).orElseThrow();
    double acc = 0.5 + 0.4 * Math.sin(key.trialIndex());
    String summary =
        ProtocolJson.write(
            TestSummaries.succeeded(
                TrialId.format(key.sweepUid(), key.trialIndex()), key.attempt(), acc, acc));
    Map<String, String> labels =
        new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("job-name", job.getMetadata().getName());
    String ns = job.getMetadata().getNamespace();
    String pod = job.getMetadata().getName() + "-p";
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(pod)
                .withNamespace(ns)
                .withLabels(labels)
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build())
        .create();
    client
        .pods()
        .inNamespace(ns)
        .withName(pod)
        .editStatus(
            p -> {
              p.setStatus(
                  new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                      .withPhase("Succeeded")
                      .addNewContainerStatus()
                      .withName(JobFactory.CONTAINER)
                      .withImage(
                          job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                      .withImageID("")
                      .withReady(false)
                      .withRestartCount(0)
                      .withNewState()
                      .withNewTerminated()
                      .withExitCode(0)
                      .withReason("Completed")
                      .withMessage(summary)
                      .endTerminated()
                      .endState()
                      .endContainerStatus()
                      .build());
              return p;
            });
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(job.getMetadata().getName())
        .editStatus(
            j -> {
              j.setStatus(
                  new JobStatusBuilder()
                      .addNewCondition()
                      .withType("Complete")
                      .withStatus("True")
                      .withLastTransitionTime(
                          Instant.now()
                              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                              .toString())
                      .endCondition()
                      .withStartTime(
                          Instant.now()
                              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                              .toString())
                      .withCompletionTime(
                          Instant.now()
                              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                              .toString())
                      .withSucceeded(1)
                      .build());
              return j;
            });
  }
}
