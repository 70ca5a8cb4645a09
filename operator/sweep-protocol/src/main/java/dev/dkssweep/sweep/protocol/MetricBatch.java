package dev.dkssweep.sweep.protocol;

import java.util.List;

/** Points of one trial attempt, sent together; (trial, attempt, step, name) identifies a point. */
public record MetricBatch(String trialId, int attempt, List<MetricPoint> points) {

  public MetricBatch {
    points = List.copyOf(points);
  }
}
