package dev.dkssweep.dashboard.query;

/** One point of a learning curve. */
public record CurvePoint(String name, long step, int epoch, double value) {}
