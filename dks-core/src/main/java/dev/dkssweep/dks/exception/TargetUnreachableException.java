package dev.dkssweep.dks.exception;

/**
 * A global target that no local target can reach for this architecture, e.g. TReLU eta = 0.9 on a
 * plain net of depth 5 (docs/maths.md 4.5 and 5.7).
 */
public final class TargetUnreachableException extends ShapingException {

  private static final long serialVersionUID = 1L;

  public TargetUnreachableException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.TARGET_UNREACHABLE;
  }
}
