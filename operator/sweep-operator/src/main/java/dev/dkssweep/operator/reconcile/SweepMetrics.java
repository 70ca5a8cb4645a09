package dev.dkssweep.operator.reconcile;

import dev.dkssweep.sweep.control.SweepStatus;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's metrics at {@code /q/metrics}: sweeps by phase and trials by state (as the last
 * round of each sweep saw them), the reconcile duration, Jobs created. The framework's own
 * (reconciliations, retries, queue) come with it.
 */
@ApplicationScoped
public class SweepMetrics {

  private final Map<String, SweepStatus> last = new ConcurrentHashMap<>();
  private final Timer reconcile;
  private final Counter jobsCreated;

  public SweepMetrics(MeterRegistry registry) {
    for (SweepPhase p : SweepPhase.values()) {
      Gauge.builder(
              "dks.sweeps", last, m -> m.values().stream().filter(s -> s.phase() == p).count())
          .description("Sweeps this operator reconciles, by phase")
          .tag("phase", p.column())
          .register(registry);
    }
    for (TrialState t : TrialState.values()) {
      Gauge.builder(
              "dks.trials", last, m -> m.values().stream().mapToInt(s -> s.counts().of(t)).sum())
          .description("Trials of the reconciled sweeps, by state")
          .tag("state", t.column())
          .register(registry);
    }
    reconcile =
        Timer.builder("dks.reconcile")
            .description("How long one reconcile of a Sweep (one round) takes")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    jobsCreated =
        Counter.builder("dks.jobs.created").description("Trial Jobs created").register(registry);
  }

  void reconciled(SweepStatus s, Duration took) {
    last.put(s.uid(), s);
    reconcile.record(took);
  }

  void forget(String uid) {
    last.remove(uid);
  }

  void jobCreated() {
    jobsCreated.increment();
  }
}
