package dev.dkssweep.sweep.store;

/**
 * Another writer changed the row first (optimistic concurrency): re-read and re-plan. Transient:
 * the reconciler's retry handles it.
 */
public final class StaleVersionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StaleVersionException(String message) {
    super(message);
  }
}
