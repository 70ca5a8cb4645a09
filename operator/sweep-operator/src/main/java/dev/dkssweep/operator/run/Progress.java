package dev.dkssweep.operator.run;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialState;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot for the progress display: counts per state, the best trial so far and an estimate of
 * the time left (wall time per finished trial so far x trials left).
 */
public record Progress(
    int total,
    Map<TrialState, Integer> counts,
    Double best,
    String bestCell,
    Duration elapsed,
    Duration eta) {

  static Progress of(
      SweepRunner.Prepared p, List<StoredTrial> trials, Instant startedAt, Instant now) {
    Map<TrialState, Integer> counts = new EnumMap<>(TrialState.class);
    for (TrialState s : TrialState.values()) {
      counts.put(s, 0);
    }
    Double best = null;
    String bestCell = null;
    for (StoredTrial t : trials) {
      counts.merge(t.state(), 1, Integer::sum);
      if (t.objective() != null
          && t.state() == TrialState.SUCCEEDED
          && (best == null || p.spec().objective().better(t.objective(), best))) {
        best = t.objective();
        Cell c = p.cells().get(t.cellIndex());
        bestCell = c.label();
      }
    }
    Duration elapsed = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now);
    int done = trials.size() - counts.get(TrialState.PENDING) - counts.get(TrialState.RUNNING);
    int ran = done - counts.get(TrialState.SKIPPED);
    int left = counts.get(TrialState.PENDING) + counts.get(TrialState.RUNNING);
    Duration eta = null;
    if (ran > 0 && left > 0) {
      // wall time per finished trial already reflects the trials that ran side by side
      eta = elapsed.dividedBy(ran).multipliedBy(left);
    }
    return new Progress(trials.size(), counts, best, bestCell, elapsed, eta);
  }

  public int count(TrialState s) {
    return counts.getOrDefault(s, 0);
  }

  /** The trials that reached a final state (Skipped included). */
  public int finished() {
    return total - count(TrialState.PENDING) - count(TrialState.RUNNING);
  }

  /**
   * One line: {@code 12/24 done, 2 running, 1 failed | best 0.8712 (dks tanh d50 ...) | ETA 3m}.
   */
  public String line(String metric) {
    StringBuilder b = new StringBuilder();
    b.append(finished()).append('/').append(total).append(" done, ");
    b.append(count(TrialState.RUNNING)).append(" running");
    append(b, TrialState.FAILED, "failed");
    append(b, TrialState.DIVERGED, "diverged");
    append(b, TrialState.EARLY_STOPPED, "early-stopped");
    append(b, TrialState.SKIPPED, "skipped");
    if (best != null) {
      b.append(String.format(" | best %s %.4f (%s)", metric, best, bestCell));
    }
    b.append(" | ").append(format(elapsed));
    if (eta != null) {
      b.append(", ETA ").append(format(eta));
    }
    return b.toString();
  }

  private void append(StringBuilder b, TrialState s, String word) {
    if (count(s) > 0) {
      b.append(", ").append(count(s)).append(' ').append(word);
    }
  }

  static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    }
    return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
  }
}
