package dev.dkssweep.sweep.store;

import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.List;
import java.util.stream.Collectors;

/** A metric batch that cannot be stored; nothing of it was written. */
public final class RejectedBatchException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final transient List<SpecViolation> problems;

  public RejectedBatchException(List<SpecViolation> problems) {
    super(problems.stream().map(SpecViolation::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<SpecViolation> problems() {
    return problems;
  }
}
