package dev.dkssweep.operator.execution.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What every trainer pod of this operator shares, from its configuration ({@code dks.trainer.*},
 * the chart's {@code trainer} values): where a sweep does not say, these apply.
 *
 * @param gpuResource the extended resource a GPU is requested as (nvidia.com/gpu by default)
 * @param queueName the Kueue LocalQueue the Jobs are submitted to; Jobs are created suspended and
 *     Kueue admits them
 * @param activeDeadline how long an attempt may run before the Job controller ends it
 * @param startTimeout how long an attempt may wait on its image or its scheduling before it is
 *     ended as never started
 */
public record TrainerPodSettings(
    String gpuResource,
    Optional<String> queueName,
    Optional<String> serviceAccountName,
    List<String> imagePullSecrets,
    Map<String, String> nodeSelector,
    Optional<String> priorityClassName,
    Optional<String> runtimeClassName,
    Optional<Duration> activeDeadline,
    Duration startTimeout) {

  public TrainerPodSettings {
    Objects.requireNonNull(gpuResource, "gpuResource");
    Objects.requireNonNull(queueName, "queueName");
    Objects.requireNonNull(serviceAccountName, "serviceAccountName");
    imagePullSecrets = List.copyOf(imagePullSecrets);
    nodeSelector = Map.copyOf(nodeSelector);
    Objects.requireNonNull(priorityClassName, "priorityClassName");
    Objects.requireNonNull(runtimeClassName, "runtimeClassName");
    Objects.requireNonNull(activeDeadline, "activeDeadline");
    Objects.requireNonNull(startTimeout, "startTimeout");
  }

  /** The defaults: nvidia.com/gpu, no queue, no deadline, 10 minutes to start. */
  public static TrainerPodSettings defaults() {
    return new TrainerPodSettings(
        "nvidia.com/gpu",
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Map.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofMinutes(10));
  }
}
