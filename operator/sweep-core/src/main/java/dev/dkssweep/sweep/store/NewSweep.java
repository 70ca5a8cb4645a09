package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.model.Goal;

/**
 * A sweep to record. {@code specJson} is the whole resolved spec as JSON, for the generation {@code
 * generation} of the sweep's document.
 */
public record NewSweep(
    String uid,
    String namespace,
    String name,
    long generation,
    String specJson,
    String objectiveMetric,
    Goal objectiveGoal) {}
