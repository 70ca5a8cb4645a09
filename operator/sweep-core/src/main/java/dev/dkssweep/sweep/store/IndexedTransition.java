package dev.dkssweep.sweep.store;

import java.util.Objects;

/** One trial's transition in {@link ResultStore#transitions}. */
public record IndexedTransition(int trialIndex, TrialTransition transition) {

  public IndexedTransition {
    Objects.requireNonNull(transition, "transition");
  }
}
