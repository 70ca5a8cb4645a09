package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import java.time.Instant;

/**
 * A sweep as stored.
 *
 * @param generation the generation of the document {@code specJson} holds
 * @param phaseReason why it is in its phase (null when nothing in particular)
 * @param startedAt when it first ran (null before)
 */
public record StoredSweep(
    String uid,
    String namespace,
    String name,
    long generation,
    String specJson,
    SweepPhase phase,
    EventReason phaseReason,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public boolean finished() {
    return phase.finished();
  }
}
