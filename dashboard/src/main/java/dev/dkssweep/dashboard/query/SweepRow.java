package dev.dkssweep.dashboard.query;

import java.time.Instant;

/** A line of the sweeps list: identity, phase, progress counts and the best objective so far. */
public record SweepRow(
    String uid,
    String namespace,
    String name,
    String phase,
    String objectiveMetric,
    String objectiveGoal,
    Instant createdAt,
    long trials,
    long finished,
    long running,
    long failed,
    Double best) {}
