package dev.dkssweep.dks.network;

import dev.dkssweep.dks.exception.InvalidArgumentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Factories and the textual form used by the CLI and the sweep spec. */
public final class Architectures {

  private static final Pattern RESNET =
      Pattern.compile("resnet(\\d+)_(v1|v2)_sw([0-9]*\\.?[0-9]+(?:[eE][-+]?\\d+)?)");

  /** Deepest plain network accepted from text input (M costs O(depth) per evaluation). */
  public static final int MAX_DEPTH = 100_000;

  private Architectures() {}

  public static Architecture plain(int depth) {
    return new PlainNetwork(depth);
  }

  public static Architecture resnet(int depth, boolean v2, double shortcutWeight) {
    return ResNet.ofDepth(depth, v2, shortcutWeight);
  }

  public static Architecture custom(String key, CustomArchitecture.ScalarM m) {
    return new CustomArchitecture(key, m);
  }

  /**
   * Parses {@code mlp} (with {@code depth}), {@code cnn} (same maps as mlp), or {@code
   * resnet<depth>_<v1|v2>_sw<w>} such as {@code resnet101_v2_sw0.6}.
   */
  public static Architecture parse(String structure, Integer depth) {
    String s = structure == null || structure.isBlank() ? "mlp" : structure.trim();
    if (s.equals("mlp") || s.equals("cnn")) {
      if (depth == null) {
        throw new InvalidArgumentException(
            "num_nonlinear_layers", "structure " + s + " needs the number of activation layers");
      }
      if (depth < 1 || depth > MAX_DEPTH) {
        throw new InvalidArgumentException(
            "num_nonlinear_layers", "must be between 1 and " + MAX_DEPTH + ", got " + depth);
      }
      return plain(depth);
    }
    Matcher m = RESNET.matcher(s);
    if (m.matches()) {
      try {
        return resnet(
            Integer.parseInt(m.group(1)), m.group(2).equals("v2"), Double.parseDouble(m.group(3)));
      } catch (IllegalArgumentException e) {
        throw new InvalidArgumentException("structure", e.getMessage());
      }
    }
    throw new InvalidArgumentException(
        "structure",
        "unknown structure '" + s + "'; use mlp, cnn or resnet<depth>_<v1|v2>_sw<weight>");
  }
}
