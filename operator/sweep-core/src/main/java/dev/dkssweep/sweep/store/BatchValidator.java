package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.ArrayList;
import java.util.List;

/** Checks a metric batch before anything is written; reports at most a few problems per kind. */
public final class BatchValidator {

  /** Largest batch accepted in one request. */
  public static final int MAX_POINTS = 50_000;

  public static final int MAX_NAME_LENGTH = 128;

  /**
   * The latest time a point may carry: the end of year 9999 (PostgreSQL's timestamps end later).
   */
  public static final long MAX_TIME = 253_402_300_799_999L;

  private static final int MAX_REPORTED = 5;

  private BatchValidator() {}

  public static List<SpecViolation> validate(MetricBatch batch) {
    List<SpecViolation> v = new ArrayList<>();
    if (batch.trialId() == null || batch.trialId().isBlank()) {
      v.add(new SpecViolation("trialId", "is required"));
    }
    if (batch.attempt() < 1) {
      v.add(new SpecViolation("attempt", "must be >= 1, got " + batch.attempt()));
    }
    if (batch.points().size() > MAX_POINTS) {
      v.add(
          new SpecViolation(
              "points",
              "too many points ("
                  + batch.points().size()
                  + "); send at most "
                  + MAX_POINTS
                  + " per batch"));
      return v;
    }
    int reported = 0;
    for (int i = 0; i < batch.points().size() && reported < MAX_REPORTED; i++) {
      MetricPoint p = batch.points().get(i);
      String at = "points[" + i + "]";
      if (!Double.isFinite(p.value())) {
        v.add(new SpecViolation(at + ".value", "must be finite, got " + p.value()));
        reported++;
      }
      if (p.name() == null || p.name().isBlank() || p.name().length() > MAX_NAME_LENGTH) {
        v.add(new SpecViolation(at + ".name", "must be 1 to " + MAX_NAME_LENGTH + " characters"));
        reported++;
      }
      if (p.time() < 0 || p.time() > MAX_TIME) {
        v.add(
            new SpecViolation(
                at + ".time",
                "must be milliseconds since 1970-01-01 (0 to " + MAX_TIME + "), got " + p.time()));
        reported++;
      }
      if (p.step() < 0 || p.epoch() < 0) {
        v.add(new SpecViolation(at, "step and epoch must be >= 0"));
        reported++;
      }
    }
    return v;
  }
}
