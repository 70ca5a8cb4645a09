package dev.dkssweep.sweep.execution;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.List;
import java.util.Objects;

/**
 * How an attempt ended, as its executor saw it.
 *
 * @param exitCode the trainer's exit code; for a process killed by a signal, 128 + the signal (what
 *     a shell and the container runtime report); -1 when it never ran
 * @param termination what ended it besides the trainer's own exit
 * @param detail the executor's own words (a pod's reason and message), or null
 * @param summary the trainer's final summary (termination message, stdout), if it wrote one
 * @param logTail the last lines of its log, for the failure reason
 * @param undelivered points the trainer could not post (its stdout JSON lines), to ingest now
 */
public record AttemptExit(
    int exitCode,
    Termination termination,
    String detail,
    TrialSummary summary,
    String logTail,
    List<MetricBatch> undelivered) {

  public AttemptExit {
    Objects.requireNonNull(termination, "termination");
    logTail = logTail == null ? "" : logTail;
    undelivered = List.copyOf(undelivered);
  }

  /** A process that ended with {@code exitCode} by itself or by a signal. */
  public static AttemptExit of(
      int exitCode, TrialSummary summary, String logTail, List<MetricBatch> undelivered) {
    return new AttemptExit(exitCode, Termination.EXITED, null, summary, logTail, undelivered);
  }

  /** What ended an attempt, beyond its exit code. */
  public enum Termination {
    /** The trainer exited (or a signal ended it): the exit code says how. */
    EXITED,
    /** The worker's memory limit was exceeded and it was killed (OOMKilled). */
    OOM_KILLED,
    /** Preempted, evicted or drained: not the trial's fault; another attempt runs it. */
    DISRUPTED,
    /** Ended for running past its deadline. */
    DEADLINE_EXCEEDED,
    /** It never started: its image could not be pulled, it could not be scheduled. */
    NOT_STARTED
  }
}
