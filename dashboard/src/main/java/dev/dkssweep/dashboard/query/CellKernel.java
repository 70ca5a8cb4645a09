package dev.dkssweep.dashboard.query;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;

/**
 * A cell's kernel view: the preflight's transform and diagnostics (with the predicted map curves),
 * and each trial's measured per-layer q and c at initialisation against the prediction.
 *
 * @param transform JSON, null for resnet-bn and infeasible cells
 * @param diagnostics JSON (local and network C'(1), C''(1), C(0), Q'(1) and the curves), or null
 */
public record CellKernel(
    int cellIndex,
    String method,
    String activation,
    String architecture,
    int depth,
    int width,
    double learningRate,
    boolean feasible,
    String infeasibleReason,
    @JsonRawValue String transform,
    @JsonRawValue String diagnostics,
    List<TrialInitCheck> initChecks) {

  /** One trial's init check (JSON: inputC, layers[], maxQDeviation, maxCDeviation). */
  public record TrialInitCheck(int trialIndex, long seed, @JsonRawValue String initCheck) {}
}
