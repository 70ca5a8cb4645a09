package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialChanges;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The trials of the sweeps a driver runs, kept between rounds: a round reads from the store only
 * the trials written since its previous read (by the round itself, by ingest, by another replica
 * before a hand-over), not every trial of a large sweep. The store says what was written ({@link
 * ResultStore#trialsChangedSince}); the first read of a sweep, and the first after {@link #forget},
 * reads every trial.
 */
final class KnownTrials {

  private final ResultStore store;
  private final Map<String, Known> bySweep = new ConcurrentHashMap<>();

  KnownTrials(ResultStore store) {
    this.store = store;
  }

  /** What is kept of one sweep: its trials by index, and the mark of the last read. */
  private static final class Known {
    final TreeMap<Integer, StoredTrial> rows = new TreeMap<>();
    long mark = TrialChanges.FIRST;
  }

  /**
   * Every trial of the sweep as stored now, by index: the kept rows with what was written since the
   * last read merged in.
   */
  List<StoredTrial> read(String uid) {
    Known k = bySweep.computeIfAbsent(uid, u -> new Known());
    synchronized (k) {
      TrialChanges c = store.trialsChangedSince(uid, k.mark);
      for (StoredTrial t : c.trials()) {
        k.rows.put(t.trialIndex(), t);
      }
      k.mark = c.mark();
      return List.copyOf(k.rows.values());
    }
  }

  /** Drops what is kept of the sweep (deleted, or finished and quiet): the next read is whole. */
  void forget(String uid) {
    bySweep.remove(uid);
  }
}
