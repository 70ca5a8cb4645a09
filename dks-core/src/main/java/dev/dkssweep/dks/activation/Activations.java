package dev.dkssweep.dks.activation;

import dev.dkssweep.dks.exception.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The catalogue of named activations (docs/maths.md section 6). */
public final class Activations {

  private Activations() {}

  /** Every name the reference accepts, in its documentation order. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (StandardActivation a : StandardActivation.values()) {
      names.add(a.id());
    }
    names.add(names.indexOf("softsign"), "leaky_relu");
    return Collections.unmodifiableList(names);
  }

  /**
   * Looks up an activation by its reference name (case-insensitive; {@code silu} is accepted for
   * swish). Leaky ReLU comes with the untransformed default slope 0.01.
   *
   * @throws InvalidArgumentException naming the known activations
   */
  public static Activation byName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidArgumentException(
          "activation", "activation name is empty; use one of " + names());
    }
    String key = name.trim().toLowerCase(Locale.ROOT);
    if (key.equals("leaky_relu")) {
      return new LeakyRelu(LeakyRelu.DEFAULT_NEGATIVE_SLOPE);
    }
    if (key.equals("silu")) {
      return StandardActivation.SWISH;
    }
    for (StandardActivation a : StandardActivation.values()) {
      if (a.id().equals(key)) {
        return a;
      }
    }
    throw new InvalidArgumentException(
        "activation", "unknown activation '" + name + "'; use one of " + names());
  }
}
