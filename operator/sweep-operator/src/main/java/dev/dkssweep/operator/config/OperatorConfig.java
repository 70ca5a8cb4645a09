package dev.dkssweep.operator.config;

import dev.dkssweep.operator.execution.kubernetes.TrainerDefaults;
import dev.dkssweep.operator.execution.kubernetes.TrainerPodSettings;
import dev.dkssweep.operator.execution.kubernetes.TrainerPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The application's own {@code dks.*} settings, in one place (the dashboard's, {@code
 * dks.dashboard.*}, are the dashboard module's {@code DashboardConfig}).
 */
@ConfigMapping(prefix = "dks")
public interface OperatorConfig {

  Ingest ingest();

  /** The Sweep reconciler. */
  Operator operator();

  /** How the cluster's trainer pods run where a sweep does not say (the chart's trainer values). */
  Trainer trainer();

  /** The dashboard's external URL, for the link in each Sweep's status. */
  Optional<String> dashboardUrl();

  /** How often a live sweep is reconciled even when nothing told the operator of a change. */
  @WithDefault("10s")
  Duration resync();

  /**
   * Where local mode keeps each attempt's directory ({@code <runs-dir>/<sweep>/trial-<i>/
   * attempt-<n>/}), for the trial-log API; set by {@code run} and {@code serve}.
   */
  Optional<String> runsDir();

  interface Ingest {
    /**
     * The secret the per-trial ingest tokens are derived from (from a Secret in a cluster); when
     * unset, a random one for this process's trainers only.
     */
    Optional<String> tokenSecret();

    /**
     * The ingest API's base URL as trainer pods reach it (the operator Service's, e.g. {@code
     * http://dks-sweep.dks.svc:8080/api/ingest}); unset, trainers print their points and the
     * summary reaches the operator through the pod's termination message only.
     */
    Optional<String> url();
  }

  interface Operator {
    /** Reconcile Sweep resources (a cluster deployment); the local commands turn it off. */
    @WithDefault("true")
    boolean enabled();

    /** The Lease the replicas elect their leader with. */
    @WithDefault("dks-sweep-operator")
    String leaseName();

    /** The Lease's namespace (the chart: the operator's own); unset, the client's namespace. */
    Optional<String> leaseNamespace();

    /** This replica's name in the Lease (unset: its host name, a pod's name). */
    Optional<String> identity();

    /**
     * The most trial Jobs one reconcile of a Sweep creates; the rest are created by the next
     * reconcile, which runs at once. Keeps each reconcile short (its API calls) when many slots
     * free up together, e.g. the first wave of a sweep with a large parallelism.
     */
    @WithDefault("16")
    int launchesPerReconcile();
  }

  interface Trainer {
    /** The extended resource a GPU is requested as. */
    @WithDefault("nvidia.com/gpu")
    String gpuResource();

    /** The Kueue LocalQueue trial Jobs are submitted to (created suspended; Kueue admits them). */
    Optional<String> queueName();

    Optional<String> serviceAccountName();

    Optional<List<String>> imagePullSecrets();

    /** Node labels trainer pods must match, as {@code key=value} pairs. */
    Optional<List<String>> nodeSelector();

    Optional<String> priorityClassName();

    Optional<String> runtimeClassName();

    /** How long one attempt may run before the Job controller ends it. */
    Optional<Duration> activeDeadline();

    /** How long a pod may wait for its image or a node before the attempt ends as not started. */
    @WithDefault("10m")
    Duration startTimeout();

    /** The image prefixes a Sweep's trainer.image may start with (TrainerPolicy). */
    @WithDefault("ghcr.io/dks-sweep/")
    List<String> allowedImages();

    /** The prefixes a Sweep's trainer.jvmOptions may start with (TrainerPolicy). */
    @WithDefault(
        "-Xmx,-Xms,-Xss,-XX:MaxRAMPercentage=,-XX:InitialRAMPercentage=,-XX:+UseG1GC,"
            + "-XX:+UseParallelGC,-XX:+UseSerialGC,-XX:+UseZGC,-Dorg.bytedeco.javacpp.maxbytes=,"
            + "-Dorg.bytedeco.javacpp.maxphysicalbytes=")
    List<String> allowedJvmOptions();

    /** The prefixes a Sweep's trainer.args may start with (TrainerPolicy). */
    @WithDefault("--engine")
    List<String> allowedArgs();

    /** Threads per trainer (OMP_NUM_THREADS) where a sweep's trainer.threads does not say. */
    @WithDefault("1")
    int threads();

    /**
     * The trainers' image where a Sweep's trainer.image does not say (unset: the release's own
     * trainer image); always allowed, whatever {@link #allowedImages} says.
     */
    Optional<String> image();

    /** Each trainer pod's CPU request where a Sweep's trainer.resources.cpu does not say. */
    Optional<String> cpu();

    /** Each trainer pod's memory (request and limit) where a Sweep's does not say. */
    Optional<String> memory();

    /** GPUs per trainer pod where a Sweep's trainer.resources.gpu does not say. */
    OptionalInt gpus();

    /** Tolerations of every trainer pod, a JSON list of Kubernetes tolerations. */
    Optional<String> tolerations();

    /** The affinity of trainer pods whose Sweep gives none, a JSON Kubernetes affinity. */
    Optional<String> affinity();

    default TrainerPolicy policy() {
      return new TrainerPolicy(allowedImages(), allowedJvmOptions(), allowedArgs(), image());
    }

    default TrainerDefaults defaults() {
      return new TrainerDefaults(image(), cpu(), memory(), gpus());
    }

    default TrainerPodSettings podSettings() {
      return new TrainerPodSettings(
          gpuResource(),
          queueName(),
          serviceAccountName(),
          imagePullSecrets().orElse(List.of()),
          pairs(nodeSelector().orElse(List.of())),
          TrainerPodSettings.tolerations("dks.trainer.tolerations", tolerations()),
          TrainerPodSettings.affinity("dks.trainer.affinity", affinity()),
          priorityClassName(),
          runtimeClassName(),
          activeDeadline(),
          startTimeout());
    }

    private static Map<String, String> pairs(List<String> entries) {
      Map<String, String> m = new LinkedHashMap<>();
      for (String e : entries) {
        int eq = e.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "dks.trainer.node-selector: '" + e + "' is not key=value (e.g. accelerator=a100)");
        }
        m.put(e.substring(0, eq).trim(), e.substring(eq + 1).trim());
      }
      return m;
    }
  }
}
