package dev.dkssweep.sweep.protocol;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be used; carries every violation found, each naming its field. */
public final class InvalidSpecException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private final transient List<SpecViolation> violations;

  public InvalidSpecException(List<SpecViolation> violations) {
    super(violations.stream().map(SpecViolation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<SpecViolation> violations() {
    return violations;
  }
}
