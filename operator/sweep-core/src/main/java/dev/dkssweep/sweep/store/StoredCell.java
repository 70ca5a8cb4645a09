package dev.dkssweep.sweep.store;

/**
 * A recorded cell's coordinates: what a new generation of the sweep matches its own cells against,
 * so that a cell keeps its index (and its trials) when axes grow.
 *
 * @param method the arm (method code or baseline name)
 */
public record StoredCell(
    int cellIndex,
    String method,
    String activation,
    String architecture,
    int depth,
    int width,
    double learningRate,
    String dataset) {}
