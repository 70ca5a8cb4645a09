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

  /**
   * Starts several attempts, as {@link #launch} each: an executor that can start them concurrently
   * (the Job executor: a Secret per wave, then its Jobs, on several API threads) does. One
   * attempt's failure does not stop the others.
   *
   * @return for each launch in order, its worker, or the exception that kept it from starting
   */
  default List<Launched> launchAll(List<TrialLaunch> launches) {
    List<Launched> out = new java.util.ArrayList<>();
    for (TrialLaunch l : launches) {
      try {
        out.add(new Launched(launch(l), null));
      } catch (RuntimeException e) {
        out.add(new Launched(null, e));
      }
    }
    return out;
  }

  /**
   * The worker an attempt will have, when the executor names it before starting it (a Job's name);
   * null when only the start tells (a process id). A launch whose worker is named in advance is
   * recorded with it before it starts, and {@link #launchAll} must then return that worker.
   */
  default String plannedWorker(TrialLaunch launch) {
    return null;
  }

  /** How one launch of {@link #launchAll} went: a worker, or the reason it did not start. */
  record Launched(String worker, RuntimeException failure) {}

  /** Asks a running attempt to stop (SIGTERM, forced after a grace period). */
  void stop(TrialKey attempt);

  /** Forgets an ended attempt once its result is recorded (its process entry, its Job). */
  void release(TrialKey attempt);

  /**
   * Forgets an ended attempt but keeps its workload for inspection where the executor can (a failed
   * attempt's Job and pod, with their logs and events, until the sweep is deleted); like {@link
   * #release}, it is not observed again. By default the same as {@link #release}.
   */
  default void retain(TrialKey attempt) {
    release(attempt);
  }

  /** Stops every attempt and gives up their workers (a local run's end). */
  @Override
  void close();
}
