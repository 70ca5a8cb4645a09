package dev.dkssweep.sweep.store;

import java.time.Instant;

/**
 * A sweep as stored.
 *
 * @param startedAt when it first ran (null before)
 */
public record StoredSweep(
    String uid,
    String namespace,
    String name,
    String specJson,
    String phase,
    String phaseReason,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public boolean finished() {
    return phase.equals("Complete") || phase.equals("Failed");
  }
}
