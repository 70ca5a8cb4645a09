package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.store.StoredTrial;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How many trials of a sweep are in each state, and how many attempts were started again.
 *
 * @param relaunched attempts beyond each trial's first: retries after a failure, resumptions after
 *     an interruption, attempts that replaced a lost one (cumulative)
 */
public record TrialCounts(int total, Map<TrialState, Integer> byState, int relaunched) {

  public TrialCounts {
    EnumMap<TrialState, Integer> all = new EnumMap<>(TrialState.class);
    for (TrialState s : TrialState.values()) {
      all.put(s, byState.getOrDefault(s, 0));
    }
    byState = Collections.unmodifiableMap(all);
  }

  public static TrialCounts of(List<StoredTrial> trials) {
    int[] byOrdinal = new int[TrialState.values().length];
    int relaunched = 0;
    for (StoredTrial t : trials) {
      byOrdinal[t.state().ordinal()]++;
      relaunched += Math.max(0, t.attempt() - 1);
    }
    Map<TrialState, Integer> counts = new EnumMap<>(TrialState.class);
    for (TrialState s : TrialState.values()) {
      counts.put(s, byOrdinal[s.ordinal()]);
    }
    return new TrialCounts(trials.size(), counts, relaunched);
  }

  public int of(TrialState s) {
    return byState.get(s);
  }

  /** The trials that reached a final state (Skipped included). */
  public int finished() {
    return total - of(TrialState.PENDING) - of(TrialState.RUNNING);
  }
}
