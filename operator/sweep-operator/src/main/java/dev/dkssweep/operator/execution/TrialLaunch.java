package dev.dkssweep.operator.execution;

import dev.dkssweep.sweep.protocol.TrialSpec;

/**
 * One attempt to start.
 *
 * @param spec the trainer's input (its reporting section already names the ingest endpoint)
 * @param threads the trainer's thread budget (OMP_NUM_THREADS, JVM processors)
 */
public record TrialLaunch(TrialSpec spec, int threads) {

  public int trialIndex() {
    return spec.trialIndex();
  }

  public int attempt() {
    return spec.attempt();
  }
}
