package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.document.SweepSpec;
import dev.dkssweep.sweep.lifecycle.EventReason;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a driver asks of one round: this sweep, at this generation of its document, should be
 * running (or stopped, with a suspension).
 *
 * @param uid the sweep's identity (a custom resource's metadata.uid; local mode's own)
 * @param generation the document's generation (metadata.generation; 1 in local mode)
 * @param spec the document as the user wrote it; validated once per generation by the round
 * @param parallelism a driver's override of spec.parallelism (local mode's --parallelism)
 * @param suspension present when the sweep must stop and stay resumable
 */
public record SweepRequest(
    String uid,
    String namespace,
    String name,
    long generation,
    SweepSpec spec,
    OptionalInt parallelism,
    Optional<Suspension> suspension) {

  public SweepRequest {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(parallelism, "parallelism");
    Objects.requireNonNull(suspension, "suspension");
    if (generation < 1) {
      throw new IllegalArgumentException("generations count from 1, got " + generation);
    }
  }

  /** A request to run, without overrides. */
  public static SweepRequest run(
      String uid, String namespace, String name, long generation, SweepSpec spec) {
    return new SweepRequest(
        uid, namespace, name, generation, spec, OptionalInt.empty(), Optional.empty());
  }

  public SweepRequest withParallelism(int n) {
    return new SweepRequest(uid, namespace, name, generation, spec, OptionalInt.of(n), suspension);
  }

  public SweepRequest suspended(Suspension s) {
    return new SweepRequest(uid, namespace, name, generation, spec, parallelism, Optional.of(s));
  }

  /**
   * Why the sweep stops: the sweep's phase reason and event message, and the reason its running
   * trials are recorded Stopped with (they run again as new attempts when it resumes).
   */
  public record Suspension(EventReason reason, String message, String trialReason) {}
}
