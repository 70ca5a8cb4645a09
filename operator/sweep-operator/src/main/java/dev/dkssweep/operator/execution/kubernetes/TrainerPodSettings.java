package dev.dkssweep.operator.execution.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Toleration;
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
 * @param tolerations every trainer pod's, before its sweep's own
 * @param affinity the affinity of trainer pods whose sweep gives none
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
    List<Toleration> tolerations,
    Optional<Affinity> affinity,
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
    tolerations = List.copyOf(tolerations);
    Objects.requireNonNull(affinity, "affinity");
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
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofMinutes(10));
  }

  /** A setting's JSON list of Kubernetes tolerations (empty or unset: none). */
  public static List<Toleration> tolerations(String setting, Optional<String> json) {
    return read(setting, json, new TypeReference<List<Toleration>>() {}, "list of tolerations")
        .orElse(List.of());
  }

  /** A setting's JSON Kubernetes affinity (empty or unset: none). */
  public static Optional<Affinity> affinity(String setting, Optional<String> json) {
    return read(setting, json, new TypeReference<Affinity>() {}, "affinity");
  }

  private static <T> Optional<T> read(
      String setting, Optional<String> json, TypeReference<T> type, String what) {
    if (json.isEmpty() || json.get().isBlank()) {
      return Optional.empty();
    }
    try {
      T value = new ObjectMapper().readValue(json.get(), type);
      String unknown = unknownFields(value, "");
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            setting + " has fields Kubernetes does not know: " + unknown.substring(2));
      }
      return Optional.of(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          setting
              + " is not a JSON "
              + what
              + " as Kubernetes writes it ("
              + e.getOriginalMessage()
              + "); e.g. [{\"key\": \"nvidia.com/gpu\", \"operator\": \"Exists\","
              + " \"effect\": \"NoSchedule\"}] for tolerations",
          e);
    }
  }

  /**
   * The fields the model kept aside as unknown (Fabric8's models take any field into {@code
   * additionalProperties}), with their paths, each after ", ".
   */
  private static String unknownFields(Object value, String path) {
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < list.size(); i++) {
        out.append(unknownFields(list.get(i), path + "[" + i + "]"));
      }
      return out.toString();
    }
    if (!(value instanceof KubernetesResource)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (java.lang.reflect.Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get")) {
        continue;
      }
      try {
        Object v = m.invoke(value);
        if (m.getName().equals("getAdditionalProperties")) {
          if (v instanceof Map<?, ?> extra) {
            for (Object k : extra.keySet()) {
              out.append(", ").append(path.isEmpty() ? "" : path + ".").append(k);
            }
          }
        } else if (v instanceof KubernetesResource || v instanceof List<?>) {
          String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
          out.append(unknownFields(v, path.isEmpty() ? field : path + "." + field));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toString();
  }
}
