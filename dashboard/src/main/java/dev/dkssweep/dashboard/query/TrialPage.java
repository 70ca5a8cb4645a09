package dev.dkssweep.dashboard.query;

import java.util.List;

/** One page of trials and the number of trials matching the filter. */
public record TrialPage(long total, List<TrialRow> rows) {

  public TrialPage {
    rows = List.copyOf(rows);
  }
}
