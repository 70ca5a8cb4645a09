package dev.dkssweep.operator.execution;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.List;

/**
 * How an attempt ended.
 *
 * @param summary the trainer's final summary (termination message), if it wrote one
 * @param logTail the last lines of its log, for the failure reason
 * @param undelivered points the trainer could not post (its stdout JSON lines), to ingest now
 */
public record TrialExit(
    int trialIndex,
    int attempt,
    int exitCode,
    TrialSummary summary,
    String logTail,
    List<MetricBatch> undelivered) {

  public TrialExit {
    undelivered = List.copyOf(undelivered);
  }
}
