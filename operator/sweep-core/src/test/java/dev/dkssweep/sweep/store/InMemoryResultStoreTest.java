package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.lifecycle.EventReason;
import java.time.Clock;
import java.util.List;

/** The in-memory store keeps the contract the JDBC store keeps. */
class InMemoryResultStoreTest extends ResultStoreContract {

  @Override
  protected ResultStore store() {
    return new InMemoryResultStore(Clock.systemUTC());
  }

  @Override
  protected List<EventReason> trialEventReasons(ResultStore store, String uid, int trialIndex) {
    return ((InMemoryResultStore) store)
        .events().stream()
            .filter(
                e -> e.sweepUid().equals(uid) && Integer.valueOf(trialIndex).equals(e.trialIndex()))
            .map(InMemoryResultStore.Event::reason)
            .toList();
  }
}
