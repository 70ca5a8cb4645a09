package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.protocol.ExitCode;
import dev.dkssweep.sweep.protocol.TrialSummary;

/**
 * How an attempt ended, as a trial state, a failure kind and a reason: a pure function of what the
 * executor saw ({@link AttemptExit}).
 *
 * <ul>
 *   <li>exit 0: Succeeded;
 *   <li>exit 3 (a non-finite loss): Diverged, with the trainer's message;
 *   <li>exit 143 (SIGTERM, the trainer finished its step and reported): Stopped, relaunched without
 *       counting a failure;
 *   <li>exit 4 (the trainer refused its spec): Failed for good, never retried;
 *   <li>128 + n for another signal n (SIGKILL, SIGSEGV ...): Failed, killed by that signal;
 *   <li>any other code: Failed with the trainer's message, or the last error line of its log;
 *   <li>an OOM kill: Failed, out of memory, with what to change;
 *   <li>a disruption (preemption, eviction, drain): Stopped, relaunched without counting a failure;
 *   <li>past its deadline: Failed; never started (image, scheduling): Failed, could not start.
 * </ul>
 *
 * A worker that vanished without any exit is not classified here: its trial stays Running with
 * nothing alive, and the planner relaunches it as lost.
 */
public final class ExitClassifier {

  /** How a failure reason starts when the trainer refused the spec. */
  public static final String INVALID_SPEC = "invalid trial spec: ";

  private static final String[] SIGNALS = {
    null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM"
  };

  private ExitClassifier() {}

  public static AttemptOutcome classify(AttemptExit exit) {
    return switch (exit.termination()) {
      case EXITED -> exited(exit);
      case OOM_KILLED ->
          failed(
              FailureKind.OUT_OF_MEMORY,
              "out of memory: the trainer exceeded its memory limit and was killed"
                  + detail(exit)
                  + "; give it more (trainer.resources.memory, or -Xmx in trainer.jvmOptions in"
                  + " local mode), or train a smaller network or batch");
      case DISRUPTED ->
          new AttemptOutcome(
              TrialState.STOPPED,
              null,
              "disrupted" + detail(exit) + "; another attempt runs it",
              EventType.NORMAL);
      case DEADLINE_EXCEEDED ->
          failed(FailureKind.DEADLINE_EXCEEDED, "ran past its deadline" + detail(exit));
      case NOT_STARTED -> failed(FailureKind.LAUNCH_FAILED, "could not start" + detail(exit));
    };
  }

  private static AttemptOutcome exited(AttemptExit exit) {
    int code = exit.exitCode();
    TrialSummary s = exit.summary();
    String message = s != null && s.errorMessage() != null ? s.errorMessage() : null;
    if (code == ExitCode.SUCCEEDED.code()) {
      return new AttemptOutcome(TrialState.SUCCEEDED, null, null, EventType.NORMAL);
    }
    if (code == ExitCode.DIVERGED.code()) {
      return new AttemptOutcome(
          TrialState.DIVERGED,
          FailureKind.DIVERGED,
          message != null ? message : "non-finite loss",
          EventType.NORMAL);
    }
    if (code == ExitCode.STOPPED.code()) {
      return new AttemptOutcome(
          TrialState.STOPPED, null, "stopped from outside the runner (SIGTERM)", EventType.NORMAL);
    }
    if (code == ExitCode.INVALID_SPEC.code()) {
      return failed(
          FailureKind.INVALID_SPEC,
          INVALID_SPEC + "exit code " + code + ": " + (message != null ? message : lastLine(exit)));
    }
    if (code > 128 && code <= 128 + 64 && message == null) {
      return failed(FailureKind.KILLED, "exit code " + code + ": killed by " + signal(code - 128));
    }
    return failed(
        FailureKind.ERROR,
        "exit code " + code + ": " + (message != null ? message : lastLine(exit)));
  }

  /** {@code signal 9 (SIGKILL)}. */
  static String signal(int n) {
    return "signal " + n + (n < SIGNALS.length ? " (" + SIGNALS[n] + ")" : "");
  }

  private static AttemptOutcome failed(FailureKind kind, String reason) {
    return new AttemptOutcome(TrialState.FAILED, kind, reason, EventType.WARNING);
  }

  private static String detail(AttemptExit exit) {
    return exit.detail() == null || exit.detail().isBlank() ? "" : " (" + exit.detail() + ")";
  }

  /** The last line of the log that names an error, else its last line. */
  static String lastLine(AttemptExit exit) {
    String tail = exit.logTail();
    if (tail.isBlank()) {
      return "no output";
    }
    String[] lines = tail.strip().split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].contains("error") || lines[i].contains("Exception")) {
        return lines[i].strip();
      }
    }
    return lines[lines.length - 1].strip();
  }
}
