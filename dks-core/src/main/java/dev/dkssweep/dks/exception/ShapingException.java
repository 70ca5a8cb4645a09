package dev.dkssweep.dks.exception;

/** A shaping request that cannot be satisfied; {@link #kind()} says why. */
public abstract sealed class ShapingException extends RuntimeException
    permits InvalidArgumentException,
        UnsupportedCombinationException,
        NoSolutionException,
        TargetUnreachableException {

  private static final long serialVersionUID = 1L;

  protected ShapingException(String message) {
    super(message);
  }

  public abstract ErrorKind kind();
}
