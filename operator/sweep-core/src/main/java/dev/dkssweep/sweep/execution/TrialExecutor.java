package dev.dkssweep.sweep.execution;

import dev.dkssweep.sweep.protocol.TrialKey;
import java.util.List;

/**
 * Runs trial attempts: child processes in local mode, Jobs in a cluster. The port the sweep round
 * drives; it reports <em>state</em>, never a queue of events, so that a driver that restarted sees
 * the same thing as one that never stopped, and a state seen twice is harmless.
 *
 * <p>Every operation is keyed by the attempt's full identity and idempotent: launching an attempt
 * that exists returns its worker, stopping or releasing one that has ended or is unknown does
 * nothing. Implementations are thread-safe.
 */
public interface TrialExecutor extends AutoCloseable {

  /**
   * Every attempt of the sweep the executor knows of (launched and not released), with its state.
   * An attempt that ended stays {@link AttemptState#EXITED}, with the same exit, until released.
   */
  List<AttemptObservation> observe(String sweepUid);

  /**
   * Starts an attempt, unless it exists.
   *
   * @return the worker's name (process id or pod name), stored with the trial
   * @throws RuntimeException when it cannot be started; nothing of it is left behind
   */
  String launch(TrialLaunch launch);

  /** Asks a running attempt to stop (SIGTERM, forced after a grace period). */
  void stop(TrialKey attempt);

  /** Forgets an ended attempt once its result is recorded (its process entry, its Job). */
  void release(TrialKey attempt);

  /** Stops every attempt and gives up their workers (a local run's end). */
  @Override
  void close();
}
