package dev.dkssweep.dks.exception;

/** A parameter outside its valid range, or an unknown name (docs/maths.md 4.7). */
public final class InvalidArgumentException extends ShapingException {

  private static final long serialVersionUID = 1L;
  private final String field;

  public InvalidArgumentException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The offending parameter, e.g. {@code zeta}. */
  public String field() {
    return field;
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INVALID_ARGUMENT;
  }
}
