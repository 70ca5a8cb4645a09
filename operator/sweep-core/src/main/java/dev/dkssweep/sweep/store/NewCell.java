package dev.dkssweep.sweep.store;

/**
 * A cell of a sweep's space with its preflight result; {@code transformJson} and {@code
 * diagnosticsJson} may be null, {@code infeasibleReason} is required when not feasible.
 */
public record NewCell(
    int cellIndex,
    String method,
    String activation,
    String architecture,
    int depth,
    int width,
    double learningRate,
    String dataset,
    boolean feasible,
    String infeasibleReason,
    String transformJson,
    String diagnosticsJson) {}
