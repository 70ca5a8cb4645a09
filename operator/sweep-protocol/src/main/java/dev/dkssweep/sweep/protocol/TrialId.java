package dev.dkssweep.sweep.protocol;

/**
 * A trial's identity: its sweep's uid and its index in the sweep. On the wire (ingest paths, {@link
 * MetricBatch#trialId()}, {@link TrialSummary#trialId()}) it is written {@code <sweep
 * uid>-<index>}; {@link #parse} is the one place that reads it back.
 */
public record TrialId(String sweepUid, int index) {

  public TrialId {
    if (sweepUid == null || sweepUid.isBlank()) {
      throw new IllegalArgumentException("a trial id needs its sweep's uid");
    }
    if (index < 0) {
      throw new IllegalArgumentException("a trial index is >= 0, got " + index);
    }
  }

  /**
   * Reads {@code <sweep uid>-<index>}.
   *
   * @throws IllegalArgumentException saying the expected form
   */
  public static TrialId parse(String text) {
    int dash = text == null ? -1 : text.lastIndexOf('-');
    if (dash > 0 && dash < text.length() - 1) {
      String index = text.substring(dash + 1);
      if (index.chars().allMatch(c -> c >= '0' && c <= '9') && index.length() <= 9) {
        return new TrialId(text.substring(0, dash), Integer.parseInt(index));
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not of the form <sweep uid>-<trial index>");
  }

  /** Attempt {@code attempt} of this trial. */
  public TrialKey attempt(int attempt) {
    return new TrialKey(sweepUid, index, attempt);
  }

  /** The wire form, {@code <sweep uid>-<index>}. */
  @Override
  public String toString() {
    return format(sweepUid, index);
  }

  /**
   * The wire form of a trial id whose parts may not be checked yet (a trainer reports on a spec it
   * refused with the id the spec gives).
   */
  public static String format(String sweepUid, int index) {
    return sweepUid + "-" + index;
  }
}
