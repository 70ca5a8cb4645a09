package dev.dkssweep.sweep.protocol;

/** The trainer's process exit codes. */
public enum ExitCode {
  SUCCEEDED(0),
  FAILED(1),
  /** Non-finite loss: stopped early; not a failure of the trainer. */
  DIVERGED(3),
  INVALID_SPEC(4),
  /** SIGTERM: finished the current step, reported a stopped summary. */
  STOPPED(143);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ExitCode of(TrialStatus status) {
    return switch (status) {
      case SUCCEEDED -> SUCCEEDED;
      case DIVERGED -> DIVERGED;
      case STOPPED -> STOPPED;
      case FAILED -> FAILED;
    };
  }
}
