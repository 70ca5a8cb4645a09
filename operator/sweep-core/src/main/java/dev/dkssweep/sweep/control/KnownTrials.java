package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialChanges;
import java.util.Arrays;
import java.util.Map;
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

  /** What is kept of one sweep: its trials at their indices, and the mark of the last read. */
  private static final class Known {
    StoredTrial[] rows = new StoredTrial[16];
    int length; // one past the highest index read
    int count; // the trials read
    long mark = TrialChanges.FIRST;

    void put(StoredTrial t) {
      int i = t.trialIndex();
      if (i >= rows.length) {
        rows = Arrays.copyOf(rows, Math.max(i + 1, rows.length * 2));
      }
      if (rows[i] == null) {
        count++;
      }
      rows[i] = t;
      length = Math.max(length, i + 1);
    }
  }

  /**
   * Every trial of the sweep as stored now: the kept rows with what was written since the last read
   * merged in.
   */
  TrialTable read(String uid) {
    Known k = bySweep.computeIfAbsent(uid, u -> new Known());
    synchronized (k) {
      TrialChanges c = store.trialsChangedSince(uid, k.mark);
      for (StoredTrial t : c.trials()) {
        k.put(t);
      }
      k.mark = c.mark();
      return TrialTable.of(k.rows, k.length, k.count);
    }
  }

  /** Drops what is kept of the sweep (deleted, or finished and quiet): the next read is whole. */
  void forget(String uid) {
    bySweep.remove(uid);
  }
}
