package dev.dkssweep.dashboard.query;

import java.time.Instant;

/** An event of a sweep; {@code trialIndex} is null for the sweep's own events. */
public record SweepEvent(
    Instant time, String type, String reason, String message, Integer trialIndex) {}
