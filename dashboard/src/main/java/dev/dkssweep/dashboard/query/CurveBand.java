package dev.dkssweep.dashboard.query;

/**
 * A cell's learning curve over its seeds at one step: mean, sample standard deviation (null for one
 * seed) and how many seeds reported it.
 */
public record CurveBand(String name, long step, double mean, Double std, long n) {}
