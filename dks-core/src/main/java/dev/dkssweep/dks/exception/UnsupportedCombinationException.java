package dev.dkssweep.dks.exception;

/** Activation and method that do not go together, e.g. TAT with ReLU (4.2, 4.5, 5.6). */
public final class UnsupportedCombinationException extends ShapingException {

  private static final long serialVersionUID = 1L;

  public UnsupportedCombinationException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.UNSUPPORTED_COMBINATION;
  }
}
