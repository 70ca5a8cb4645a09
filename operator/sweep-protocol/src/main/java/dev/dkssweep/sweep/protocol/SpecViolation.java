package dev.dkssweep.sweep.protocol;

/**
 * One problem with a spec: the field path (e.g. {@code model.depth}) and what to do about it. A
 * message or path that quotes a huge input is shortened (to {@link #MAX_MESSAGE} and {@link
 * #MAX_FIELD} characters), so that a 100 kB value is not echoed back in every answer and log line.
 */
public record SpecViolation(String field, String message) {

  public static final int MAX_MESSAGE = 1_000;
  public static final int MAX_FIELD = 300;

  public SpecViolation {
    field = shorten(field, MAX_FIELD);
    message = shorten(message, MAX_MESSAGE);
  }

  private static String shorten(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int cut = max - 20;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--; // never half a character
    }
    return s.substring(0, cut) + "... (" + (s.length() - cut) + " more)";
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
