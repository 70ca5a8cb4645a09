package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.protocol.MetricBatch;

/**
 * The system of record for sweeps, trials and metric points (ARCHITECTURE.md section 3). So far:
 * metric ingest; sweeps, cells, trial transitions and the reconciler's rebuild follow.
 */
public interface ResultStore {

  /**
   * Stores a batch of one trial attempt's points, all or nothing. A point already stored (same
   * trial, attempt, name and step) is skipped, so a repeated batch is a no-op.
   *
   * @throws RejectedBatchException naming every problem; nothing is written
   */
  IngestResult appendMetrics(MetricBatch batch);
}
