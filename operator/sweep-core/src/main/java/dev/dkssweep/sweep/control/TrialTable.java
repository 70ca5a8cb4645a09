package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.store.StoredTrial;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A sweep's trials as a round read them: in index order, and by index in constant time (a round
 * looks trials up by index for every exit, launch and stop; a hash map of 10,000 boxed indices
 * built each round cost more than the rest of its planning). Immutable.
 */
final class TrialTable {

  private final StoredTrial[] byIndex; // null where the sweep has no such trial
  private final List<StoredTrial> list;

  private TrialTable(StoredTrial[] byIndex, List<StoredTrial> list) {
    this.byIndex = byIndex;
    this.list = list;
  }

  /** A table of {@code rows}, each at its trial's index (a copy is kept, not {@code rows}). */
  static TrialTable of(StoredTrial[] rows, int length, int count) {
    StoredTrial[] copy = Arrays.copyOf(rows, length);
    StoredTrial[] dense = copy;
    if (count != length) { // indices with no trial (none when trials are recorded in order)
      dense = new StoredTrial[count];
      int k = 0;
      for (StoredTrial t : copy) {
        if (t != null) {
          dense[k++] = t;
        }
      }
    }
    return new TrialTable(copy, Collections.unmodifiableList(Arrays.asList(dense)));
  }

  /** Every trial, by index. */
  List<StoredTrial> list() {
    return list;
  }

  /** The trial at {@code index}, or null when the sweep has none there. */
  StoredTrial get(int index) {
    return index >= 0 && index < byIndex.length ? byIndex[index] : null;
  }
}
