package dev.dkssweep.sweep.protocol;

/**
 * One measurement.
 *
 * @param step optimiser steps taken when measured
 * @param time epoch milliseconds
 */
public record MetricPoint(long step, int epoch, String name, double value, long time) {}
