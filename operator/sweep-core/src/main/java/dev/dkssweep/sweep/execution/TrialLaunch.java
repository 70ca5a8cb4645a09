package dev.dkssweep.sweep.execution;

import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialSpec;
import java.util.Objects;

/**
 * One attempt to start.
 *
 * @param spec the trainer's input (its reporting section already names the ingest endpoint)
 * @param threads the trainer's thread budget (OMP_NUM_THREADS, JVM processors)
 * @param trainer how the sweep's trainers run (image, resources, options: what a pod needs)
 */
public record TrialLaunch(TrialSpec spec, int threads, SweepDefinition.Trainer trainer) {

  public TrialLaunch {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(trainer, "trainer");
  }

  public TrialKey key() {
    return spec.key();
  }
}
