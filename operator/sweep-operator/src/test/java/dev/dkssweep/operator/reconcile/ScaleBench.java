package dev.dkssweep.operator.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.store.TestSummaries;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
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
 * <p>Arguments: [trials (10000)] [parallelism (200)].
 */
public final class ScaleBench {

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int lrs =
        trials / 1000; // 4 methods x 5 activations x 10 depths x 5 widths = 1000 cells per rate
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (KubernetesClient client = server.createClient();
        EmbeddedDatabase db = EmbeddedDatabase.start(null)) {
      Migrations.apply(db.dataSource());
      JdbcResultStore store = new JdbcResultStore(db.dataSource());
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
              created::incrementAndGet);
      SweepRound round =
          new SweepRound(
              store,
              executor,
              new LaunchSettings(null, id -> "t", 1),
              Clock.systemUTC(),
              SpecPolicy.NONE);
      String yaml =
          """
          objective: {metric: val_accuracy, goal: maximize, reduce: max}
          space:
            method: [dks, tat, standard, orthogonal]
            activation: [tanh, softplus, sigmoid, swish, gelu]
            depth: [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
            width: [16, 32, 64, 128, 256]
            learningRate: {logRange: {min: 0.0001, max: 0.01, count: %d}}
            dataset: [synthetic-clusters]
            epochs: 1
          parallelism: %d
          retry: {maxRetries: 0}
          """
              .formatted(lrs, parallelism);
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
        Thread.sleep(20);
      }
      Duration wall = Duration.between(start, Instant.now());
      List<Long> sorted = new ArrayList<>(rounds);
      sorted.sort(Long::compare);
      var status =
          StatusMapper.status(s, 1, false, null, Instant.now(), Optional.of("https://dks.example"));
      int statusBytes = new ObjectMapper().writeValueAsBytes(status).length;
      System.out.printf(
          "trials %d, parallelism %d: %s (%s), %d Jobs created%n",
          s.counts().total(), parallelism, s.phase().column(), s.reason(), created.get());
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
      kubelet.shutdownNow();
    } finally {
      server.destroy();
    }
  }

  private static WorkloadCache cache(SharedIndexInformer<Job> jobs, SharedIndexInformer<Pod> pods) {
    java.util.function.Function<io.fabric8.kubernetes.api.model.HasMetadata, List<String>> byUid =
        r -> {
          Map<String, String> l = r.getMetadata().getLabels();
          return l == null || !l.containsKey(WorkloadNames.SWEEP_UID)
              ? List.of()
              : List.of(l.get(WorkloadNames.SWEEP_UID));
        };
    jobs.addIndexers(Map.of("uid", byUid::apply));
    pods.addIndexers(Map.of("uid", byUid::apply));
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

      @Override
      public void onDelete(Job job, boolean unknown) {}
    };
  }

  private static void complete(KubernetesClient client, Job job) {
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
    client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-p")
                .withNamespace(ns)
                .withLabels(labels)
                .withCreationTimestamp(Instant.now().toString())
                .endMetadata()
                .withNewStatus()
                .withPhase("Succeeded")
                .addNewContainerStatus()
                .withName(JobFactory.CONTAINER)
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .withReason("Completed")
                .withMessage(summary)
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
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
                      .endCondition()
                      .withSucceeded(1)
                      .build());
              return j;
            });
  }
}
