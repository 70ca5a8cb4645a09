package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.execution.kubernetes.JobFactory;
import dev.dkssweep.operator.execution.kubernetes.JobStateMapper;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.store.TestSummaries;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster {@link ScaleBench} drives, in a process of its own so that the operator's figures
 * (CPU, heap) are the operator's alone, as they are in a real cluster: Fabric8's mock API server in
 * CRUD mode (or, with {@code real}, the API server {@code KUBECONFIG} names) and a simulated Job
 * controller, kubelet and garbage collector that complete each trial Job at once, its pod carrying
 * the trainer's summary as termination message. Not a test. The mode (first argument): {@code mock}
 * (the default), {@code prod} (the mock answering what the packaged application's prod profile
 * asks: {@link ProdProfileDispatcher}) or {@code real}.
 *
 * <p>Prints {@code ready <port>} once serving (port 0 for {@code real}); on the line {@code report}
 * from stdin (or its end) prints the requests it served by verb and resource and its CPU time, then
 * {@code end}, and exits.
 */
public final class SimulatedCluster {

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "mock";
    boolean real = mode.equals("real");
    KubernetesMockServer server =
        real
            ? null
            : mode.equals("prod")
                ? ClusterFixtures.crudServer(new ProdProfileDispatcher())
                : ClusterFixtures.crudServer();
    Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    if (server != null) {
      server.init();
      countRequests(server, requests);
    }
    KubernetesClient client =
        real ? new KubernetesClientBuilder().build() : client(server.getPort());
    ExecutorService kubelet = Executors.newFixedThreadPool(4);
    client
        .batch()
        .v1()
        .jobs()
        .inAnyNamespace()
        .withLabelSelector(WorkloadNames.SELECTOR)
        .inform(completeEach(client, kubelet));
    System.out.println("ready " + (server == null ? 0 : server.getPort()));
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("report")) {
      // wait for the bench to finish
    }
    long total = requests.values().stream().mapToLong(AtomicLong::get).sum();
    System.out.printf("cluster: %d API requests served%n", total);
    requests.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
        .forEach(e -> System.out.printf("  %-28s %7d%n", e.getKey(), e.getValue().get()));
    System.out.printf(
        "cluster: CPU %.1f s (mock API server and simulated kubelet)%n",
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime()
            / 1e9);
    System.out.println("end");
    System.out.flush();
    System.exit(0); // the informer's and the mock server's threads
  }

  /** A client of the mock server on {@code port}, configured as the mock's own clients are. */
  static KubernetesClient client(int port) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl("http://localhost:" + port)
                .withNamespace("test")
                .withHttp2Disable(true)
                .build())
        .build();
  }

  /**
   * Counts the mock's requests by verb and resource as they arrive, taking them off the queue where
   * the mock keeps every request it served (which would otherwise hold every Job's body).
   */
  private static void countRequests(KubernetesMockServer server, Map<String, AtomicLong> counts) {
    Thread t =
        new Thread(
            () -> {
              try {
                while (true) {
                  var r = server.takeRequest();
                  counts
                      .computeIfAbsent(
                          r.getMethod() + " " + resource(r.getPath()), k -> new AtomicLong())
                      .incrementAndGet();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "request-counter");
    t.setDaemon(true);
    t.start();
  }

  /** {@code jobs}, {@code pods/status}, {@code pods (watch)}, ... of a request's path. */
  static String resource(String path) {
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String[] parts = (q < 0 ? path : path.substring(0, q)).split("/");
    int i = 0;
    while (i < parts.length && !parts[i].equals("namespaces")) {
      i++;
    }
    if (i + 2 >= parts.length) { // not namespaced: /api/v1/pods, /apis/batch/v1/jobs
      return parts[parts.length - 1] + (query.contains("watch=true") ? " (watch)" : " (list)");
    }
    String kind = parts[i + 2];
    return i + 4 < parts.length ? kind + "/" + parts[i + 4] : kind;
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
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    // one request each (create, then a merge patch of the status), as the Job controller and the
    // kubelet would send them; editStatus would read before it writes
    Pod created =
        client
            .pods()
            .inNamespace(ns)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(job.getMetadata().getName() + "-p")
                    .withNamespace(ns)
                    .withLabels(labels)
                    .endMetadata()
                    .withSpec(job.getSpec().getTemplate().getSpec())
                    .build())
            .create();
    created.setStatus(
        new PodStatusBuilder()
            .withPhase("Succeeded")
            .addNewContainerStatus()
            .withName(JobFactory.CONTAINER)
            .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
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
    created.getMetadata().setResourceVersion(null); // a patch, not a versioned update
    client.pods().inNamespace(ns).resource(created).patchStatus();
    Job done = new JobBuilder(job).build();
    done.setStatus(
        new JobStatusBuilder()
            .addNewCondition()
            .withType("Complete")
            .withStatus("True")
            .withLastTransitionTime(now)
            .endCondition()
            .withStartTime(now)
            .withCompletionTime(now)
            .withSucceeded(1)
            .build());
    done.getMetadata().setResourceVersion(null);
    client.batch().v1().jobs().inNamespace(ns).resource(done).patchStatus();
  }
}
