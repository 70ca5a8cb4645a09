package dev.dkssweep.sweep.lifecycle;

/** A sweep's phase as stored (the values of the sweeps.phase column). */
public enum SweepPhase {
  /** Recorded, not run yet. */
  PENDING("Pending"),
  RUNNING("Running"),
  /** Every trial finished, the goal was reached, or the budget ran out. */
  COMPLETE("Complete"),
  /** More trials failed for good than the budget allows. */
  FAILED("Failed"),
  /** Interrupted or suspended; resumable. */
  STOPPED("Stopped");

  private final String column;

  SweepPhase(String column) {
    this.column = column;
  }

  public String column() {
    return column;
  }

  /** Complete or Failed: nothing more will run. */
  public boolean finished() {
    return this == COMPLETE || this == FAILED;
  }

  public static SweepPhase ofColumn(String value) {
    for (SweepPhase p : values()) {
      if (p.column.equals(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown sweep phase '" + value + "'");
  }
}
