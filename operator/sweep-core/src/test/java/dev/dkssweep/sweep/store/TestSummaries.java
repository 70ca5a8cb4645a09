package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.Map;

/** Trial summaries for tests (exported with the test jar). */
public final class TestSummaries {

  private TestSummaries() {}

  /**
   * A succeeded attempt of 10 steps whose val_accuracy ended at {@code last}, best {@code best}.
   */
  public static TrialSummary succeeded(String trialId, int attempt, double last, double best) {
    return new TrialSummary(
        trialId,
        attempt,
        TrialStatus.SUCCEEDED,
        Map.of("val_accuracy", last),
        Map.of("val_accuracy", best),
        10,
        1,
        1,
        null,
        null,
        null,
        0);
  }
}
