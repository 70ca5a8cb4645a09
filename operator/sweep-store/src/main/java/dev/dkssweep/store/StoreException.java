package dev.dkssweep.store;

/** A database failure (transient from the caller's view: retry with backoff). */
public final class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
