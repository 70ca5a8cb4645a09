package dev.dkssweep.dashboard.query;

/** A failed read (database unavailable or a bug in a query). */
public final class QueryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public QueryException(String what, Throwable cause) {
    super(what, cause);
  }
}
