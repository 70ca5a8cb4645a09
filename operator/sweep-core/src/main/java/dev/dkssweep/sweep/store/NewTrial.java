package dev.dkssweep.sweep.store;

/** A trial of a cell, by index within the sweep. */
public record NewTrial(int trialIndex, int cellIndex, long seed) {}
