package dev.dkssweep.dks.exception;

/**
 * No start of the root finder produced an accepted solution. Carries the smallest residual reached
 * and, for DKS, the largest local C'(1) seen while keeping the other conditions, so that a user can
 * tell "infeasible" from "unlucky".
 */
public final class NoSolutionException extends ShapingException {

  private static final long serialVersionUID = 1L;
  private final double bestResidual;
  private final double supremumReached;

  public NoSolutionException(String message, double bestResidual, double supremumReached) {
    super(message);
    this.bestResidual = bestResidual;
    this.supremumReached = supremumReached;
  }

  public double bestResidual() {
    return bestResidual;
  }

  /** The largest value of the target quantity reached by any start (NaN if not tracked). */
  public double supremumReached() {
    return supremumReached;
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.NO_SOLUTION_FOUND;
  }
}
