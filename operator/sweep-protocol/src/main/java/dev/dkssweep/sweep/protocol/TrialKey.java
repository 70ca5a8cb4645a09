package dev.dkssweep.sweep.protocol;

/**
 * The full identity of one trial attempt: sweep uid, trial index and attempt (1 for the first).
 * Executors, the store and the ingest API key everything an attempt does by it, so that two sweeps,
 * two trials or two attempts of one trial are never confused.
 */
public record TrialKey(String sweepUid, int trialIndex, int attempt) {

  public TrialKey {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    new TrialId(sweepUid, trialIndex); // checks the uid and the index
  }

  public TrialId trial() {
    return new TrialId(sweepUid, trialIndex);
  }

  /** {@code <sweep uid>-<index>#<attempt>}, for logs and messages. */
  @Override
  public String toString() {
    return trial() + "#" + attempt;
  }
}
