package dev.dkssweep.operator.store;

import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.store.RejectedBatchException;
import java.util.List;

/** A trial id of the protocol, {@code <sweep uid>-<trial index>}, split into its parts. */
record TrialKey(String sweepUid, int trialIndex) {

  static TrialKey parse(String trialId) {
    int dash = trialId.lastIndexOf('-');
    try {
      if (dash > 0) {
        return new TrialKey(
            trialId.substring(0, dash), Integer.parseInt(trialId.substring(dash + 1)));
      }
    } catch (NumberFormatException e) {
      // fall through to the rejection below
    }
    throw new RejectedBatchException(
        List.of(
            new SpecViolation(
                "trialId", "'" + trialId + "' is not of the form <sweep uid>-<trial index>")));
  }

  @Override
  public String toString() {
    return sweepUid + "-" + trialIndex;
  }
}
