package dev.dkssweep.dashboard.query;

/** A line of a sweep's trial table. */
public record TrialRow(
    int trialIndex,
    String state,
    int cellIndex,
    String method,
    String activation,
    int depth,
    int width,
    double learningRate,
    long seed,
    int attempt,
    Double objective,
    Double durationSeconds,
    String failureReason) {}
