package dev.dkssweep.dashboard.query;

import java.util.List;
import java.util.Locale;

/**
 * Filter, order and page of the trial table; null filters match everything.
 *
 * @param sort one of trial_index, objective, state, duration, depth, learning_rate
 */
public record TrialFilter(
    String state,
    String method,
    String activation,
    String sort,
    boolean descending,
    int offset,
    int limit) {

  public static final int MAX_LIMIT = 500;

  /** A trial's states, as the trials table writes them (db migration V3). */
  public static final List<String> STATES =
      List.of(
          "Pending",
          "Running",
          "Succeeded",
          "Diverged",
          "Failed",
          "Stopped",
          "EarlyStopped",
          "Skipped");

  /** The methods a cell may have (the sweep's methods and its resnet-bn baseline). */
  public static final List<String> METHODS =
      List.of("dks", "tat", "standard", "orthogonal", "resnet-bn");

  public TrialFilter {
    if (state != null && !state.isEmpty() && !STATES.contains(state)) {
      throw new IllegalArgumentException(
          "state: use one of " + String.join(", ", STATES) + ", not '" + state + "'");
    }
    if (method != null && !method.isEmpty() && !METHODS.contains(method)) {
      throw new IllegalArgumentException(
          "method: use one of " + String.join(", ", METHODS) + ", not '" + method + "'");
    }
    sort = sort == null ? "trial_index" : sort.toLowerCase(Locale.ROOT);
    if (!java.util.Set.of("trial_index", "objective", "state", "duration", "depth", "learning_rate")
        .contains(sort)) {
      throw new IllegalArgumentException(
          "sort: use trial_index, objective, state, duration, depth or learning_rate, not '"
              + sort
              + "'");
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset: must be >= 0, got " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit: must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
  }

  public static TrialFilter firstPage(int limit) {
    return new TrialFilter(null, null, null, "trial_index", false, 0, limit);
  }

  /** The ORDER BY expression for the sort key (from a fixed list, never user text). */
  String orderBy() {
    String column =
        switch (sort) {
          case "objective" -> "t.objective";
          case "state" -> "t.state";
          case "duration" -> "EXTRACT(EPOCH FROM (t.finished_at - t.started_at))";
          case "depth" -> "c.depth";
          case "learning_rate" -> "c.learning_rate";
          default -> "t.trial_index";
        };
    return column + (descending ? " DESC NULLS LAST" : " ASC NULLS LAST") + ", t.trial_index";
  }
}
