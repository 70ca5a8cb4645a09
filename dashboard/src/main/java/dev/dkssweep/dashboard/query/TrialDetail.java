package dev.dkssweep.dashboard.query;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;

/**
 * One trial: its table line, the worker, the times, the final summary (JSON: metrics, transform,
 * init check, error) and its events, newest first.
 */
public record TrialDetail(
    TrialRow trial,
    String worker,
    Instant startedAt,
    Instant finishedAt,
    @JsonRawValue String summary,
    List<Event> events) {

  /** An event of the trial. */
  public record Event(Instant time, String type, String reason, String message) {}
}
