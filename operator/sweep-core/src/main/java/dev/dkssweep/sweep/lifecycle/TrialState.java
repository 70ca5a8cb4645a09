package dev.dkssweep.sweep.lifecycle;

/** A trial's state as stored (the values of the trials.state column). */
public enum TrialState {
  PENDING("Pending"),
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  DIVERGED("Diverged"),
  FAILED("Failed"),
  STOPPED("Stopped"),
  EARLY_STOPPED("EarlyStopped"),
  SKIPPED("Skipped");

  private final String column;

  TrialState(String column) {
    this.column = column;
  }

  public String column() {
    return column;
  }

  public boolean finished() {
    return this != PENDING && this != RUNNING;
  }

  public static TrialState ofColumn(String value) {
    for (TrialState s : values()) {
      if (s.column.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown trial state '" + value + "'");
  }
}
