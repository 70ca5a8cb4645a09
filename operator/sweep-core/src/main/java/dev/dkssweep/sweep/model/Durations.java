package dev.dkssweep.sweep.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way users write them: {@code 90s}, {@code 30m}, {@code 1h30m}, {@code PT2H}.
 */
public final class Durations {

  private static final Pattern SHORT =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private Durations() {}

  /**
   * @throws IllegalArgumentException with the accepted forms when {@code text} is not a duration
   */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException | ArithmeticException e) {
        throw invalid(text);
      }
    }
    Matcher m = SHORT.matcher(t);
    if (t.isEmpty() || !m.matches()) {
      throw invalid(text);
    }
    try {
      Duration d = Duration.ZERO;
      d = d.plusDays(part(m, 1)).plusHours(part(m, 2)).plusMinutes(part(m, 3));
      return d.plusSeconds(part(m, 4));
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is longer than any duration can be");
    }
  }

  /** The short form {@link #parse} reads back: {@code 1h30m}, {@code 2d}, {@code 45s}. */
  public static String format(Duration d) {
    if (d.isNegative() || d.getNano() != 0) {
      throw new IllegalArgumentException("not a whole positive number of seconds: " + d);
    }
    if (d.isZero()) {
      return "0s";
    }
    long s = d.getSeconds();
    StringBuilder b = new StringBuilder();
    long[] units = {86_400, 3_600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (s >= units[i]) {
        b.append(s / units[i]).append(names[i]);
        s %= units[i];
      }
    }
    return b.toString();
  }

  private static long part(Matcher m, int group) {
    return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "'" + text + "' is not a duration; write e.g. 90s, 30m, 1h30m, 2d or PT2H");
  }
}
