package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The end of an attempt: how it ended, its metrics, and what was actually trained.
 *
 * @param unsentPoints metric points that could not be delivered to the endpoint (also printed on
 *     stdout as JSON lines)
 * @param engine what trained the network: {@code dense} (the trainer's fused engine) or {@code
 *     dl4j} (DL4J's own fit); null when training never started
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrialSummary(
    String trialId,
    int attempt,
    TrialStatus status,
    Map<String, Double> finalMetrics,
    Map<String, Double> bestMetrics,
    long steps,
    double seconds,
    double samplesPerSecond,
    AppliedTransform transform,
    InitCheck initCheck,
    String errorMessage,
    int unsentPoints,
    String engine) {

  /** A summary that does not say what trained the network (training never started). */
  public TrialSummary(
      String trialId,
      int attempt,
      TrialStatus status,
      Map<String, Double> finalMetrics,
      Map<String, Double> bestMetrics,
      long steps,
      double seconds,
      double samplesPerSecond,
      AppliedTransform transform,
      InitCheck initCheck,
      String errorMessage,
      int unsentPoints) {
    this(
        trialId,
        attempt,
        status,
        finalMetrics,
        bestMetrics,
        steps,
        seconds,
        samplesPerSecond,
        transform,
        initCheck,
        errorMessage,
        unsentPoints,
        null);
  }

  /** The activation transform the network was built with (docs/maths.md (1.1)). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AppliedTransform(
      String activation,
      String method,
      double alpha,
      double beta,
      double gamma,
      double delta,
      Double negativeSlope) {}

  /** Measured per-layer q and c at initialisation against dks-core's predicted maps. */
  public record InitCheck(
      double inputC, List<LayerKernel> layers, double maxQDeviation, double maxCDeviation) {}

  /** One activation layer's measured and predicted kernel values. */
  public record LayerKernel(
      int layer, double measuredQ, double predictedQ, double measuredC, double predictedC) {}
}
