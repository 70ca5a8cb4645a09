package dev.dkssweep.operator.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The pod statuses a kubelet writes, for the played kubelets of the e2e suites ({@link
 * PlayedKubelet}, {@link PlayedNode}): a container running or terminated, a condition, and the
 * status write itself (a pod deleted meanwhile is not an error).
 */
final class PodStatuses {

  private PodStatuses() {}

  /** Now, to the second (as the API server keeps times). */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static PodCondition condition(String type) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withLastTransitionTime(now())
        .build();
  }

  static ContainerStatus running(Container c, boolean ready) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withReady(ready)
        .withStarted(true)
        .withRestartCount(0)
        .withNewState()
        .withNewRunning()
        .withStartedAt(now())
        .endRunning()
        .endState()
        .build();
  }

  /** Ended with {@code code}; {@code message} is the termination message, or null. */
  static ContainerStatus terminated(Container c, int code, String message) {
    return new ContainerStatusBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImageID("")
        .withReady(false)
        .withRestartCount(0)
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(code == 0 ? "Completed" : "Error")
        .withMessage(message)
        .withStartedAt(now())
        .withFinishedAt(now())
        .endTerminated()
        .endState()
        .build();
  }

  /**
   * Writes a pod's phase and its one container's status; {@code ip} (the pod's address, on the
   * loopback host) and {@code conditions} when given.
   */
  static void report(
      KubernetesClient client,
      String namespace,
      String pod,
      String phase,
      String ip,
      List<PodCondition> conditions,
      ContainerStatus container) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(pod)
          .editStatus(
              p -> {
                p.getStatus().setPhase(phase);
                if (ip != null) {
                  p.getStatus().setHostIP("127.0.0.1");
                  p.getStatus().setPodIP(ip);
                  p.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp(ip).build()));
                }
                if (p.getStatus().getStartTime() == null) {
                  p.getStatus().setStartTime(now());
                }
                if (!conditions.isEmpty()) {
                  p.getStatus().setConditions(conditions);
                }
                p.getStatus().setContainerStatuses(List.of(container));
                return p;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
