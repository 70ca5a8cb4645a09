package dev.dkssweep.sweep.store;

/**
 * A sweep to record. {@code specJson} is the whole spec as JSON.
 *
 * @param objectiveGoal maximize or minimize
 */
public record NewSweep(
    String uid,
    String namespace,
    String name,
    long generation,
    String specJson,
    String objectiveMetric,
    String objectiveGoal) {}
