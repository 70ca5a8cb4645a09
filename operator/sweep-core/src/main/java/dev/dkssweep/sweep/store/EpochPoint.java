package dev.dkssweep.sweep.store;

/** A trial's value of one metric at the end of an epoch of its current attempt. */
public record EpochPoint(int trialIndex, int epoch, double value, long timeMillis) {}
