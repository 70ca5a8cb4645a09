package dev.dkssweep.sweep.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.TrialSlot;
import dev.dkssweep.sweep.store.StoredCell;
import dev.dkssweep.sweep.store.StoredTrial;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Numbering: a new sweep's, and a grown one's that never moves a recorded cell or trial. */
class TrialLayoutTest {

  static SweepDefinition definition(String depths, int seeds) {
    return SweepDocuments.read(
            """
            objective: {metric: val_accuracy, goal: maximize}
            space:
              method: [dks, standard]
              activation: tanh
              depth: %s
              learningRate: [0.01]
              seeds: %d
            """
                .formatted(depths, seeds),
            "t")
        .definition();
  }

  static List<StoredCell> recorded(List<Cell> cells) {
    return cells.stream()
        .map(
            c ->
                new StoredCell(
                    c.index(),
                    c.arm(),
                    c.activation(),
                    c.architecture().code(),
                    c.depth(),
                    c.width(),
                    c.learningRate(),
                    c.dataset()))
        .toList();
  }

  static List<StoredTrial> recorded(TrialLayout l) {
    return l.slots().stream()
        .map(
            t ->
                new StoredTrial(
                    t.trialIndex(),
                    t.cellIndex(),
                    t.seed(),
                    TrialState.PENDING,
                    0,
                    0,
                    0,
                    null,
                    null,
                    0,
                    null,
                    null,
                    null,
                    0))
        .toList();
  }

  @Test
  void aNewSweepNumbersTrialsCellBySeed() {
    SweepDefinition d = definition("[4, 8]", 2);
    TrialLayout l = TrialLayout.of(CellExpander.expand(d), 2, List.of(), List.of());
    assertThat(l.cells()).extracting(Cell::index).containsExactly(0, 1, 2, 3);
    assertThat(l.slots())
        .containsExactly(
            new TrialSlot(0, 0, 0),
            new TrialSlot(1, 0, 1),
            new TrialSlot(2, 1, 0),
            new TrialSlot(3, 1, 1),
            new TrialSlot(4, 2, 0),
            new TrialSlot(5, 2, 1),
            new TrialSlot(6, 3, 0),
            new TrialSlot(7, 3, 1));
    assertThat(l.newCells()).hasSize(4);
    assertThat(l.newSlots()).hasSize(8);
  }

  @Test
  void aRecordedSweepIsNumberedAsRecorded() {
    SweepDefinition d = definition("[4, 8]", 2);
    TrialLayout first = TrialLayout.of(CellExpander.expand(d), 2, List.of(), List.of());
    TrialLayout again =
        TrialLayout.of(CellExpander.expand(d), 2, recorded(first.cells()), recorded(first));
    assertThat(again.cells()).isEqualTo(first.cells());
    assertThat(again.slots()).isEqualTo(first.slots());
    assertThat(again.newCells()).isEmpty();
    assertThat(again.newSlots()).isEmpty();
  }

  @Test
  void anAxisValueInsertedInTheMiddleIsNumberedAfterEverythingRecorded() {
    TrialLayout first =
        TrialLayout.of(CellExpander.expand(definition("[4, 16]", 1)), 1, List.of(), List.of());
    List<Cell> grown = CellExpander.expand(definition("[4, 8, 16]", 2));

    TrialLayout l = TrialLayout.of(grown, 2, recorded(first.cells()), recorded(first));

    assertThat(l.cells())
        .extracting(c -> c.index() + ":" + c.arm() + " d" + c.depth())
        .containsExactly(
            "0:dks d4",
            "1:standard d4",
            "2:dks d16",
            "3:standard d16",
            "4:dks d8",
            "5:standard d8");
    assertThat(l.newCells()).extracting(Cell::depth).containsOnly(8);
    // the recorded trials keep 0..3 (seed 1 of each old cell); seed 2 and the new cells follow
    assertThat(l.slots())
        .filteredOn(t -> t.trialIndex() < 4)
        .hasSize(4)
        .allSatisfy(t -> assertThat(t.seedIndex()).isZero());
    assertThat(l.newSlots())
        .extracting(TrialSlot::trialIndex)
        .containsExactly(4, 5, 6, 7, 8, 9, 10, 11);
  }
}
