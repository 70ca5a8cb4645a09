package dev.dkssweep.dks.exception;

/** The four ways a shaping request can fail; the codes are those of the reference vectors. */
public enum ErrorKind {
  INVALID_ARGUMENT("invalid_argument"),
  UNSUPPORTED_COMBINATION("unsupported_combination"),
  NO_SOLUTION_FOUND("no_solution_found"),
  TARGET_UNREACHABLE("target_unreachable");

  private final String code;

  ErrorKind(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
