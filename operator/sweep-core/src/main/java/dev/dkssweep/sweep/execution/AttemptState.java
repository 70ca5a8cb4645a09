package dev.dkssweep.sweep.execution;

/** What an executor sees of an attempt. */
public enum AttemptState {
  /** Created, not running yet (a pod waiting to be scheduled, a Job held by a queue). */
  PENDING,
  RUNNING,
  /** Ended; its {@link AttemptExit} says how. */
  EXITED,
  /** Its worker vanished and nothing says how it ended (a deleted pod, a lost process). */
  GONE
}
