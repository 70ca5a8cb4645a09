package dev.dkssweep.sweep.protocol;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Lower-case wire codes for the protocol's enums. */
public final class Codes {

  private Codes() {}

  public static <E extends Enum<E>> E parse(
      Class<E> type, String text, Function<E, String> code, String what) {
    String key = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (code.apply(e).equals(key)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown "
            + what
            + " '"
            + text
            + "'; use one of "
            + Arrays.stream(type.getEnumConstants()).map(code).collect(Collectors.joining(", ")));
  }
}
