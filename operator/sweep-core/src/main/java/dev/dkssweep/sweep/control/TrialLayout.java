package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.planning.LaunchOrders;
import dev.dkssweep.sweep.planning.TrialSlot;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.store.StoredCell;
import dev.dkssweep.sweep.store.StoredTrial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a generation's cells and trials sit in the sweep's numbering, given what is recorded. A new
 * sweep numbers its cells as expanded and trial {@code cell * seeds + s} as seed s of a cell; a
 * later generation keeps every recorded cell's and trial's index (matched by coordinates and seed)
 * and numbers what it adds after the highest index so far, so results never move.
 *
 * @param cells every cell, {@code cells.get(i).index() == i}
 * @param slots every trial
 * @param newCells the cells not recorded yet
 * @param newSlots the trials not recorded yet
 */
public record TrialLayout(
    List<Cell> cells, List<TrialSlot> slots, List<Cell> newCells, List<TrialSlot> newSlots) {

  public TrialLayout {
    cells = List.copyOf(cells);
    slots = List.copyOf(slots);
    newCells = List.copyOf(newCells);
    newSlots = List.copyOf(newSlots);
  }

  private record SeedOf(int cellIndex, long seed) {}

  private static Cell cell(StoredCell c) {
    Architecture architecture = Architecture.of(c.architecture());
    boolean baseline = architecture == Architecture.RESNET_BN;
    return new Cell(
        c.cellIndex(),
        c.method(),
        baseline ? Method.STANDARD : Method.of(c.method()),
        architecture,
        c.activation(),
        c.depth(),
        c.width(),
        c.learningRate(),
        c.dataset());
  }

  /**
   * @param expanded the generation's cells as expanded (indices 0..n-1 in expansion order)
   */
  public static TrialLayout of(
      List<Cell> expanded,
      int seeds,
      List<StoredCell> storedCells,
      List<StoredTrial> storedTrials) {
    if (storedCells.isEmpty()) {
      List<TrialSlot> dense = LaunchOrders.dense(expanded, seeds);
      return new TrialLayout(expanded, dense, expanded, dense);
    }
    Map<Cell.Point, Cell> recorded = new HashMap<>();
    int next = 0;
    for (StoredCell c : storedCells) {
      Cell known = cell(c);
      recorded.put(known.point(), known);
      next = Math.max(next, c.cellIndex() + 1);
    }
    List<Cell> cells = new ArrayList<>();
    List<Cell> added = new ArrayList<>();
    for (Cell c : expanded) {
      Cell known = recorded.remove(c.point());
      if (known != null) {
        cells.add(c.withIndex(known.index()));
      } else {
        Cell n = c.withIndex(next++);
        cells.add(n);
        added.add(n);
      }
    }
    // recorded cells this generation no longer expands to keep their place (and their trials)
    cells.addAll(recorded.values());
    cells.sort(Comparator.comparingInt(Cell::index));
    Map<SeedOf, Integer> trials = new HashMap<>();
    int nextTrial = 0;
    for (StoredTrial t : storedTrials) {
      trials.put(new SeedOf(t.cellIndex(), t.seed()), t.trialIndex());
      nextTrial = Math.max(nextTrial, t.trialIndex() + 1);
    }
    List<TrialSlot> slots = new ArrayList<>();
    List<TrialSlot> newSlots = new ArrayList<>();
    for (Cell c : cells) {
      for (int s = 0; s < seeds; s++) {
        Integer index = trials.get(new SeedOf(c.index(), LaunchOrders.seed(s)));
        if (index != null) {
          slots.add(new TrialSlot(index, c.index(), s));
        } else {
          TrialSlot n = new TrialSlot(nextTrial++, c.index(), s);
          slots.add(n);
          newSlots.add(n);
        }
      }
    }
    return new TrialLayout(cells, slots, added, newSlots);
  }
}
