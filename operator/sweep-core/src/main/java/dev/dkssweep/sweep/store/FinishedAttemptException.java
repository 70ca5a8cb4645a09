package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialKey;
import java.util.List;

/**
 * A write for an attempt whose end is recorded: its record is final, so nothing of it is written
 * (and the refusal is counted with the trial).
 */
public final class FinishedAttemptException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final transient TrialKey attempt;

  public FinishedAttemptException(TrialKey attempt) {
    super(
        "attempt "
            + attempt.attempt()
            + " of trial "
            + attempt.trial()
            + " has ended; its record is final");
    this.attempt = attempt;
  }

  public TrialKey attempt() {
    return attempt;
  }

  /** The refusal as a problem of the request's {@code attempt} field. */
  public List<SpecViolation> problems() {
    return List.of(new SpecViolation("attempt", getMessage()));
  }
}
