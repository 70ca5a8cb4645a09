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
 * @param launchesPerRound the most attempts one round starts: the planner's further launches wait
 *     for the next round, which the driver runs at once ({@link SweepStatus#deferredLaunches}), so
 *     a round stays short however many slots free up together
 */
public record LaunchSettings(
    String endpoint, Function<TrialKey, String> tokens, int threadsPerTrial, int launchesPerRound) {

  public LaunchSettings {
    if (launchesPerRound < 1) {
      throw new IllegalArgumentException(
          "launchesPerRound must be at least 1, not " + launchesPerRound);
    }
  }

  /** Settings whose rounds start every launch the planner asks for. */
  public LaunchSettings(String endpoint, Function<TrialKey, String> tokens, int threadsPerTrial) {
    this(endpoint, tokens, threadsPerTrial, Integer.MAX_VALUE);
  }
}
