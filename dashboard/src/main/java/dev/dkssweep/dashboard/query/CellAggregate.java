package dev.dkssweep.dashboard.query;

/**
 * A cell's objective over its seeds: mean, sample standard deviation (null for one seed) and the
 * number of seeds with an objective.
 */
public record CellAggregate(
    int cellIndex,
    String method,
    String activation,
    int depth,
    double learningRate,
    double mean,
    Double std,
    long n) {}
