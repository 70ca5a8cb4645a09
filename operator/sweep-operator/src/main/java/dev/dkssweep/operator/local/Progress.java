package dev.dkssweep.operator.local;

import dev.dkssweep.sweep.control.SweepStatus;
import dev.dkssweep.sweep.control.TrialCounts;
import dev.dkssweep.sweep.lifecycle.TrialState;
import java.time.Duration;
import java.time.Instant;
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

  /** The progress of a round's status at {@code now}. */
  static Progress of(SweepStatus status, Instant now) {
    TrialCounts c = status.counts();
    Duration elapsed =
        status.startedAt() == null ? Duration.ZERO : Duration.between(status.startedAt(), now);
    int ran = c.finished() - c.of(TrialState.SKIPPED);
    int left = c.of(TrialState.PENDING) + c.of(TrialState.RUNNING);
    Duration eta = null;
    if (ran > 0 && left > 0) {
      // wall time per finished trial already reflects the trials that ran side by side
      eta = elapsed.dividedBy(ran).multipliedBy(left);
    }
    return new Progress(
        c.total(),
        c.byState(),
        status.best().map(SweepStatus.BestTrial::objective).orElse(null),
        status.best().map(SweepStatus.BestTrial::cellLabel).orElse(null),
        elapsed,
        eta);
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
