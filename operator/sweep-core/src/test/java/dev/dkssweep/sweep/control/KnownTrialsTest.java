package dev.dkssweep.sweep.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.store.InMemoryResultStore;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStoreContract;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rows a round keeps between reads, looked up by index. */
class KnownTrialsTest {

  private final InMemoryResultStore store = new InMemoryResultStore(Clock.systemUTC());
  private final KnownTrials known = new KnownTrials(store);

  @Test
  void readsMergeWhatChangedAndLookUpByIndexAcrossGaps() {
    store.recordSweep(new NewSweep("u", "ns", "s", 1, "{}", "val_accuracy", Goal.MAXIMIZE));
    store.recordCells("u", List.of(ResultStoreContract.cell(0)));
    store.recordTrials("u", List.of(new NewTrial(0, 0, 1), new NewTrial(1, 0, 2)));

    TrialTable first = known.read("u");
    assertThat(first.list()).extracting(StoredTrial::trialIndex).containsExactly(0, 1);
    assertThat(first.get(1).seed()).isEqualTo(2);
    assertThat(first.get(-1)).isNull();
    assertThat(first.get(2)).isNull();

    store.transition("u", 1, new TrialTransition(0, TrialState.RUNNING, 1, "w", null));
    // a later generation's trials, past a gap (an index with no trial) and past the first array
    store.recordTrials("u", List.of(new NewTrial(40, 0, 3)));
    TrialTable second = known.read("u");
    assertThat(second.list()).extracting(StoredTrial::trialIndex).containsExactly(0, 1, 40);
    assertThat(second.get(1).state()).isEqualTo(TrialState.RUNNING);
    assertThat(second.get(20)).isNull();
    assertThat(second.get(40).seed()).isEqualTo(3);
    assertThat(first.get(1).state())
        .as("a table read earlier stays as it was read")
        .isEqualTo(TrialState.PENDING);
    assertThat(second.list()).isEqualTo(store.trials("u"));
  }
}
