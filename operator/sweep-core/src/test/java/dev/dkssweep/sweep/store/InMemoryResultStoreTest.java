package dev.dkssweep.sweep.store;

import java.time.Clock;

/** The in-memory store keeps the contract the JDBC store keeps. */
class InMemoryResultStoreTest extends ResultStoreContract {

  @Override
  protected ResultStore store() {
    return new InMemoryResultStore(Clock.systemUTC());
  }
}
