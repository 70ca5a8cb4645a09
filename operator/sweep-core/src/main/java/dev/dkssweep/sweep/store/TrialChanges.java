package dev.dkssweep.sweep.store;

import java.util.List;

/**
 * The trials of a sweep written since an earlier read, and the mark to give the next read: what a
 * controller that keeps a sweep's trials between rounds reads instead of every trial.
 *
 * @param trials the trials written since the mark the read was given (every trial for {@link
 *     #FIRST}), by index; a trial may be in two consecutive answers
 * @param mark opaque: give it to the next {@link ResultStore#trialsChangedSince} of this sweep
 */
public record TrialChanges(List<StoredTrial> trials, long mark) {

  /** The mark of a first read: every trial. */
  public static final long FIRST = 0;

  public TrialChanges {
    trials = List.copyOf(trials);
  }
}
