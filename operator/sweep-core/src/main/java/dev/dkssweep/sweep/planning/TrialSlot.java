package dev.dkssweep.sweep.planning;

/**
 * Where one seed of one cell sits in the sweep's trial numbering.
 *
 * @param seedIndex 0-based; the trial's seed is {@link LaunchOrders#seed(int) seedIndex + 1}
 */
public record TrialSlot(int trialIndex, int cellIndex, int seedIndex) {

  public long seed() {
    return LaunchOrders.seed(seedIndex);
  }
}
