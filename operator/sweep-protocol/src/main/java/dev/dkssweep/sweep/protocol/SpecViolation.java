package dev.dkssweep.sweep.protocol;

/** One problem with a spec: the field path (e.g. {@code model.depth}) and what to do about it. */
public record SpecViolation(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
