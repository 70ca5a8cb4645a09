package dev.dkssweep.operator.e2e;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the kubelet (and the scheduler) of a cluster that has none, like a control plane started
 * without nodes: the real Job controller creates the trial pods; this runs each one's trainer as a
 * local process (the pod's arguments, environment and mounted TrialSpec) and reports the pod's
 * phase and its container's state, exit code and termination message through the status
 * subresource, as a kubelet does. The Job controller then decides the Job's outcome itself, its pod
 * failure policy included. A pod deleted while its trainer runs gets the trainer SIGTERMed.
 */
final class PlayedKubelet implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final Path work;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();

  PlayedKubelet(KubernetesClient client, String namespace, Path work) {
    this.client = client;
    this.namespace = namespace;
    this.work = work;
    loop.scheduleWithFixedDelay(this::tick, 200, 300, TimeUnit.MILLISECONDS);
  }

  int maxRunning() {
    return maxRunning.get();
  }

  int started() {
    return started.get();
  }

  private void tick() {
    try {
      List<Pod> pods =
          client
              .pods()
              .inNamespace(namespace)
              .withLabelSelector(WorkloadNames.SELECTOR)
              .list()
              .getItems();
      Set<String> alive = new java.util.HashSet<>();
      for (Pod pod : pods) {
        String name = pod.getMetadata().getName();
        if (pod.getMetadata().getDeletionTimestamp() == null) {
          alive.add(name);
        }
        if (pod.getMetadata().getDeletionTimestamp() == null && handled.add(name)) {
          start(pod);
        }
      }
      running.forEach(
          (name, p) -> {
            if (!alive.contains(name)) {
              p.destroy();
              running.remove(name);
              forget(name);
            }
          });
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  /** A terminating pod goes away once its container has stopped (a kubelet's final delete). */
  private void forget(String name) {
    try {
      client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void start(Pod pod) {
    String name = pod.getMetadata().getName();
    Container c = pod.getSpec().getContainers().get(0);
    String spec = ClusterFixtures.specOf(client, namespace, pod.getSpec());
    ClusterFixtures.Trainer t;
    try {
      t = ClusterFixtures.start(c, spec, work.resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Process p = t.process();
    running.put(name, p);
    started.incrementAndGet();
    maxRunning.accumulateAndGet(running.size(), Math::max);
    report(name, "Running", PodStatuses.running(c, true));
    p.onExit()
        .thenAccept(
            done -> {
              if (running.remove(name) == null) {
                return;
              }
              String message = ClusterFixtures.terminationMessage(t);
              int code = done.exitValue();
              report(
                  name,
                  code == 0 ? "Succeeded" : "Failed",
                  PodStatuses.terminated(c, code, message));
            });
  }

  private void report(String pod, String phase, ContainerStatus container) {
    PodStatuses.report(client, namespace, pod, phase, null, List.of(), container);
  }

  @Override
  public void close() {
    loop.shutdownNow();
    running.values().forEach(Process::destroyForcibly);
  }
}
