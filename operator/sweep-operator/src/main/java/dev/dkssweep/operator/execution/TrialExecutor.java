package dev.dkssweep.operator.execution;

import java.util.List;

/**
 * Runs trial attempts: child processes in local mode, pods in a cluster. Implementations are
 * thread-safe; {@link #stop} and {@link #launch} are idempotent per (trial, attempt).
 */
public interface TrialExecutor extends AutoCloseable {

  /**
   * Starts an attempt.
   *
   * @return the worker's name (process id or pod name), stored with the trial
   */
  String launch(TrialLaunch launch);

  /** True while the attempt's worker exists. */
  boolean alive(int trialIndex, int attempt);

  /** Asks a running attempt to stop (SIGTERM; forced after a grace period). */
  void stop(int trialIndex, int attempt);

  /** Attempts that ended since the last call, each reported once. */
  List<TrialExit> drainExits();

  /** Attempts still running. */
  int running();

  /** Stops everything and waits up to {@code graceMillis} for the workers to end. */
  void stopAll(long graceMillis);

  @Override
  void close();
}
