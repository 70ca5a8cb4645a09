package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.LaunchOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Trial numbering and launch order. Trial {@code cell * seeds + s} is seed {@code s} of a cell;
 * trials start seed by seed (every cell's first seed before any second seed, so a partial sweep
 * already covers the space), cells within a seed as listed or by predicted trainability (the
 * preflight's {@link Preflight.Diagnostics#degeneracy()}, least degenerate first; ties and cells
 * without a prediction keep their listed order).
 */
public final class LaunchOrders {

  private LaunchOrders() {}

  public static int trialIndex(int cellIndex, int seedIndex, int seeds) {
    return cellIndex * seeds + seedIndex;
  }

  /** Trial seeds are 1..seeds, the same for every cell, so seeds pair across cells. */
  public static long seed(int seedIndex) {
    return seedIndex + 1L;
  }

  /** The trials of {@code cells}, numbered {@code cell * seeds + seed}: a new sweep's numbering. */
  public static List<TrialSlot> dense(List<Cell> cells, int seeds) {
    List<TrialSlot> slots = new ArrayList<>(cells.size() * seeds);
    for (Cell c : cells) {
      for (int s = 0; s < seeds; s++) {
        slots.add(new TrialSlot(trialIndex(c.index(), s, seeds), c.index(), s));
      }
    }
    return slots;
  }

  /** The launch order of the trials of feasible cells, numbered as a new sweep numbers them. */
  public static List<Integer> of(
      List<Cell> cells, List<Preflight.CellResult> preflight, int seeds, LaunchOrder order) {
    return of(cells, preflight, dense(cells, seeds), order);
  }

  /**
   * The launch order of the trials of feasible cells, seed by seed: every cell's first seed (in the
   * order's cell order), then every cell's second seed, and so on.
   */
  public static List<Integer> of(
      List<Cell> cells,
      List<Preflight.CellResult> preflight,
      List<TrialSlot> slots,
      LaunchOrder order) {
    Map<Integer, Preflight.CellResult> byCell =
        preflight.stream()
            .collect(Collectors.toMap(Preflight.CellResult::cellIndex, Function.identity()));
    List<Cell> runnable =
        new ArrayList<>(cells.stream().filter(c -> byCell.get(c.index()).feasible()).toList());
    if (order == LaunchOrder.PREDICTED_TRAINABILITY) {
      runnable.sort(
          Comparator.comparingDouble(
              c -> {
                Preflight.Diagnostics d = byCell.get(c.index()).diagnostics();
                return d == null ? 0 : d.degeneracy();
              }));
    }
    Map<Integer, Map<Integer, Integer>> bySeed = new java.util.TreeMap<>();
    for (TrialSlot t : slots) {
      bySeed
          .computeIfAbsent(t.seedIndex(), k -> new java.util.HashMap<>())
          .put(t.cellIndex(), t.trialIndex());
    }
    List<Integer> trials = new ArrayList<>();
    for (Map<Integer, Integer> seed : bySeed.values()) {
      for (Cell c : runnable) {
        Integer trial = seed.get(c.index());
        if (trial != null) {
          trials.add(trial);
        }
      }
    }
    return trials;
  }
}
