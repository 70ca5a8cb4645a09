package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a summary that arrives over the ingest API before anything of it is written: it names its
 * trial, attempt and status, its counts are not negative, and its metrics are named as points are
 * (a metric's value may be NaN or infinite: a diverged trial reports what it saw; such a value is
 * never an objective).
 */
public final class SummaryValidator {

  /** The most metrics a summary may carry in each of its maps. */
  public static final int MAX_METRICS = 1_000;

  private SummaryValidator() {}

  public static List<SpecViolation> validate(TrialSummary s) {
    List<SpecViolation> v = new ArrayList<>();
    if (s.trialId() == null || s.trialId().isBlank()) {
      v.add(new SpecViolation("trialId", "is required"));
    }
    if (s.attempt() < 1) {
      v.add(new SpecViolation("attempt", "must be >= 1, got " + s.attempt()));
    }
    if (s.status() == null) {
      v.add(new SpecViolation("status", "is required: how the attempt ended"));
    }
    if (s.steps() < 0) {
      v.add(new SpecViolation("steps", "must be >= 0, got " + s.steps()));
    }
    if (s.unsentPoints() < 0) {
      v.add(new SpecViolation("unsentPoints", "must be >= 0, got " + s.unsentPoints()));
    }
    for (String f : List.of("seconds", "samplesPerSecond")) {
      double x = f.equals("seconds") ? s.seconds() : s.samplesPerSecond();
      if (!Double.isFinite(x) || x < 0) {
        v.add(new SpecViolation(f, "must be a finite number >= 0, got " + x));
      }
    }
    metrics(v, "finalMetrics", s.finalMetrics());
    metrics(v, "bestMetrics", s.bestMetrics());
    return v;
  }

  private static void metrics(List<SpecViolation> v, String field, Map<String, Double> m) {
    if (m == null) {
      return;
    }
    if (m.size() > MAX_METRICS) {
      v.add(new SpecViolation(field, "at most " + MAX_METRICS + " metrics"));
      return;
    }
    for (var e : m.entrySet()) {
      String name = e.getKey();
      if (name == null || name.isBlank() || name.length() > BatchValidator.MAX_NAME_LENGTH) {
        v.add(
            new SpecViolation(
                field, "metric names are 1 to " + BatchValidator.MAX_NAME_LENGTH + " characters"));
      } else if (e.getValue() == null) {
        v.add(new SpecViolation(field + "." + name, "must be a number"));
      }
    }
  }
}
