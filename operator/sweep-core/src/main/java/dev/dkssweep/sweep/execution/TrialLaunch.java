package dev.dkssweep.sweep.execution;

import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialSpec;

/**
 * One attempt to start.
 *
 * @param spec the trainer's input (its reporting section already names the ingest endpoint)
 * @param threads the trainer's thread budget (OMP_NUM_THREADS, JVM processors)
 */
public record TrialLaunch(TrialSpec spec, int threads) {

  public TrialKey key() {
    return spec.key();
  }
}
