package dev.dkssweep.sweep.execution;

import dev.dkssweep.sweep.protocol.TrialKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link TrialExecutor} whose attempts the test moves by hand: launched attempts run until the
 * test ends them ({@link #exit}), makes their workers vanish ({@link #vanish}) or plants attempts
 * the store does not know ({@link #plant}). It records what the round asked for.
 */
public final class FakeTrialExecutor implements TrialExecutor {

  private final Map<TrialKey, AttemptObservation> attempts = new LinkedHashMap<>();
  private final List<TrialLaunch> launches = new ArrayList<>();
  private final Set<TrialKey> stops = new LinkedHashSet<>();
  private final List<TrialKey> releases = new ArrayList<>();
  private final List<TrialKey> retains = new ArrayList<>();
  private String failNextLaunch;
  private boolean ignoreReleases;
  private boolean namesInAdvance;
  private int next = 100;

  @Override
  public synchronized List<AttemptObservation> observe(String sweepUid) {
    return attempts.values().stream().filter(a -> a.key().sweepUid().equals(sweepUid)).toList();
  }

  @Override
  public synchronized String launch(TrialLaunch launch) {
    AttemptObservation known = attempts.get(launch.key());
    if (known != null) {
      return known.worker();
    }
    if (failNextLaunch != null) {
      String message = failNextLaunch;
      failNextLaunch = null;
      throw new IllegalStateException(message);
    }
    launches.add(launch);
    String worker = namesInAdvance ? plannedWorker(launch) : "fake:" + next++;
    attempts.put(
        launch.key(), new AttemptObservation(launch.key(), AttemptState.RUNNING, worker, null));
    return worker;
  }

  /** From now on, names each attempt's worker before launching it, as the Job executor does. */
  public synchronized void nameWorkersInAdvance() {
    namesInAdvance = true;
  }

  @Override
  public synchronized String plannedWorker(TrialLaunch launch) {
    return namesInAdvance
        ? "planned:" + launch.key().trialIndex() + "-" + launch.key().attempt()
        : null;
  }

  @Override
  public synchronized void stop(TrialKey attempt) {
    if (attempts.containsKey(attempt)) {
      stops.add(attempt);
    }
  }

  @Override
  public synchronized void release(TrialKey attempt) {
    releases.add(attempt);
    AttemptObservation a = attempts.get(attempt);
    if (!ignoreReleases && a != null && !a.live()) {
      attempts.remove(attempt);
    }
  }

  @Override
  public synchronized void retain(TrialKey attempt) {
    retains.add(attempt);
    AttemptObservation a = attempts.get(attempt);
    if (a != null && !a.live()) {
      attempts.remove(attempt);
    }
  }

  /** The attempts retained for inspection, in order. */
  public synchronized List<TrialKey> retains() {
    return List.copyOf(retains);
  }

  @Override
  public synchronized void close() {
    attempts.clear();
  }

  /** Ends an attempt: it is observed Exited with {@code exit} until released. */
  public synchronized void exit(TrialKey key, AttemptExit exit) {
    AttemptObservation a = attempts.get(key);
    attempts.put(key, new AttemptObservation(key, AttemptState.EXITED, a.worker(), exit));
  }

  /** Ends every attempt the round asked to stop the way a trainer does on SIGTERM. */
  public synchronized void exitStopped(AttemptExit exit) {
    for (TrialKey k : stops) {
      AttemptObservation a = attempts.get(k);
      if (a != null && a.live()) {
        attempts.put(k, new AttemptObservation(k, AttemptState.EXITED, a.worker(), exit));
      }
    }
  }

  /** The attempt's worker is gone without a word of how it ended. */
  public synchronized void vanish(TrialKey key) {
    AttemptObservation a = attempts.get(key);
    attempts.put(key, new AttemptObservation(key, AttemptState.GONE, a.worker(), null));
  }

  /** The attempt waits, pending, on a problem that does not clear up by itself. */
  public synchronized void stick(TrialKey key, String why) {
    AttemptObservation a = attempts.get(key);
    attempts.put(key, AttemptObservation.stuck(key, a.worker(), why));
  }

  /** An attempt the executor runs whatever the store says (left over from another driver). */
  public synchronized void plant(TrialKey key, AttemptState state) {
    attempts.put(key, new AttemptObservation(key, state, "planted:" + key, null));
  }

  /** The next launch throws with this message, as an executor that cannot start a worker does. */
  public synchronized void failNextLaunch(String message) {
    failNextLaunch = message;
  }

  /** Releases are acknowledged but forgotten: every exit is observed again (a lagging cache). */
  public synchronized void ignoreReleases(boolean ignore) {
    ignoreReleases = ignore;
  }

  public synchronized List<TrialLaunch> launches() {
    return List.copyOf(launches);
  }

  public synchronized Set<TrialKey> stops() {
    return Set.copyOf(stops);
  }

  public synchronized List<TrialKey> releases() {
    return List.copyOf(releases);
  }

  /** Attempts pending or running now. */
  public synchronized List<TrialKey> live() {
    return attempts.values().stream().filter(AttemptObservation::live).map(a -> a.key()).toList();
  }
}
