package dev.dkssweep.sweep.lifecycle;

/**
 * How an attempt failed (the values of the trials.failure_kind column); only {@link #INVALID_SPEC}
 * is permanent: another attempt of the same spec cannot change the answer.
 */
public enum FailureKind {
  /** The trainer exited with an error of its own (exit code 1 and others). */
  ERROR("Error"),
  /** The trainer refused its spec (exit code 4). */
  INVALID_SPEC("InvalidSpec"),
  /** A non-finite loss (exit code 3), when divergence counts as a failure. */
  DIVERGED("Diverged"),
  /** The worker ran out of memory and was killed (a container's OOM kill). */
  OUT_OF_MEMORY("OutOfMemory"),
  /** The worker was killed by a signal it did not handle (SIGKILL, SIGSEGV ...). */
  KILLED("Killed"),
  /** The attempt ran past its deadline and was ended. */
  DEADLINE_EXCEEDED("DeadlineExceeded"),
  /** The worker could not be started. */
  LAUNCH_FAILED("LaunchFailed");

  private final String column;

  FailureKind(String column) {
    this.column = column;
  }

  public String column() {
    return column;
  }

  /** True when retrying cannot help. */
  public boolean permanent() {
    return this == INVALID_SPEC;
  }

  public static FailureKind ofColumn(String value) {
    for (FailureKind k : values()) {
      if (k.column.equals(value)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown failure kind '" + value + "'");
  }
}
