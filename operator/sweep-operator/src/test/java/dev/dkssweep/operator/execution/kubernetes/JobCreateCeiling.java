package dev.dkssweep.operator.execution.kubernetes;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.model.SweepDefinition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the API server alone accepts (not a test; docs/benchmarks.md says how to run it): the Job
 * executor's launches (a Secret and a Job per attempt, {@code JobTrialExecutor}'s 8 API calls at a
 * time) with nothing else running — no round, no store, no informers, no simulated kubelet. The
 * ceiling the scale benchmark's Jobs per second are measured against.
 *
 * <p>Arguments: [launches (4000)] [real]. With {@code real}, the {@code KUBECONFIG} server and its
 * namespace {@code research} (created if missing).
 */
public final class JobCreateCeiling {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 4_000;
    boolean real = args.length > 1 && args[1].equals("real");
    KubernetesMockServer server = ClusterFixtures.crudServer();
    if (!real) {
      server.init();
    }
    try (KubernetesClient client =
        real
            ? new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()
            : server.createClient()) {
      if (real && client.namespaces().withName("research").get() == null) {
        client
            .namespaces()
            .resource(
                new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata()
                    .withName("research")
                    .endMetadata()
                    .build())
            .create();
      }
      WorkloadCache none =
          new WorkloadCache() {
            @Override
            public List<Job> jobs(String sweepUid) {
              return List.of();
            }

            @Override
            public List<Pod> pods(String sweepUid) {
              return List.of();
            }
          };
      java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
      JobTrialExecutor executor =
          new JobTrialExecutor(
              client,
              new JobFactory(TrainerPodSettings.defaults()),
              none,
              uid -> Optional.of(JobFactoryTest.SWEEP),
              Duration.ofMinutes(10),
              Clock.systemUTC(),
              done::incrementAndGet,
              uid -> refused.incrementAndGet());
      // warm up the client and the server (connections, JIT) with a small wave
      executor.launchAll(wave(0, 200));
      awaitCount(done, refused, 200);
      int waves = Math.max(1, n / 200);
      long t0 = System.nanoTime();
      int failed = 0;
      for (int w = 1; w <= waves; w++) {
        for (TrialExecutor.Launched l : executor.launchAll(wave(w * 200, 200))) {
          failed += l.failure() == null ? 0 : 1;
        }
      }
      // launches are created in the background: the clock stops when the last is created or refused
      awaitCount(done, refused, 200 + waves * 200 - failed);
      failed += (int) refused.get();
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "%s: %d launches (Secret + Job each) in waves of 200, %d failed: %.1f s, %.0f Jobs/s%n",
          real ? "real API server" : "mock API server",
          waves * 200,
          failed,
          seconds,
          waves * 200 / seconds);
      executor.close();
    } finally {
      if (!real) {
        server.destroy();
      }
    }
    System.exit(0);
  }

  private static List<TrialLaunch> wave(int first, int size) {
    List<TrialLaunch> out = new ArrayList<>();
    for (int i = first; i < first + size; i++) {
      out.add(
          JobFactoryTest.launch(
              i, 1, SweepDefinition.Resources.NONE, List.of(), SweepDefinition.Placement.NONE));
    }
    return out;
  }

  private static void awaitCount(
      java.util.concurrent.atomic.AtomicLong done,
      java.util.concurrent.atomic.AtomicLong refused,
      long n)
      throws InterruptedException {
    while (done.get() + refused.get() < n) {
      Thread.sleep(1);
    }
  }
}
