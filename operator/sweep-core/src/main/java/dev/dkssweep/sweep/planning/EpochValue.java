package dev.dkssweep.sweep.planning;

/** A trial's value of the objective metric at the end of an epoch (1-based), and when it came. */
public record EpochValue(int epoch, double value, long timeMillis) {}
