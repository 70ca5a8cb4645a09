package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.protocol.TrialKey;
import java.util.function.Function;

/**
 * What every launch of a driver shares.
 *
 * @param endpoint the ingest base URL trainers post to ({@code http://host:port/api/ingest}), or
 *     null for none (trainers print their points on stdout)
 * @param tokens each trial attempt's bearer token for that endpoint
 * @param threadsPerTrial each trainer's thread budget
 */
public record LaunchSettings(
    String endpoint, Function<TrialKey, String> tokens, int threadsPerTrial) {}
