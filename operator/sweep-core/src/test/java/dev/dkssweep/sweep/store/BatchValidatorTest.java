package dev.dkssweep.sweep.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchValidatorTest {

  @Test
  void acceptsAWellFormedBatch() {
    MetricBatch b = new MetricBatch("uid-1", 1, List.of(new MetricPoint(0, 0, "loss", 1.5, 0)));
    assertThat(BatchValidator.validate(b)).isEmpty();
  }

  @Test
  void namesEveryBadFieldButReportsAFewPerBatch() {
    List<MetricPoint> points = new ArrayList<>();
    points.add(new MetricPoint(-1, 0, "loss", 1, 0));
    points.add(new MetricPoint(1, 0, " ", 1, 0));
    points.add(new MetricPoint(2, 0, "x".repeat(129), 1, 0));
    for (int i = 0; i < 20; i++) {
      points.add(new MetricPoint(3 + i, 0, "loss", Double.POSITIVE_INFINITY, 0));
    }
    List<SpecViolation> v = BatchValidator.validate(new MetricBatch("", 0, points));
    assertThat(v)
        .extracting(SpecViolation::field)
        .startsWith("trialId", "attempt", "points[0]", "points[1].name", "points[2].name")
        .hasSizeLessThanOrEqualTo(2 + 5);
  }
}
