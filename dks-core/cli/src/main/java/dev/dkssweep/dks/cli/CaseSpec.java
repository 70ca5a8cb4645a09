package dev.dkssweep.dks.cli;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import dev.dkssweep.dks.network.Architecture;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.shaping.ShapingMethod;
import dev.dkssweep.dks.shaping.ShapingRequest;
import java.util.Locale;
import java.util.Map;

/**
 * One input case in the columns of the reference vectors: case_id, structure, num_nonlinear_layers,
 * activation, method, zeta, local_q_slope_target, tau, eta (empty = default).
 */
record CaseSpec(
    String caseId,
    String structure,
    String depth,
    String activation,
    String method,
    String zeta,
    String qSlope,
    String tau,
    String eta) {

  static CaseSpec of(Map<String, String> row) {
    return new CaseSpec(
        get(row, "case_id"),
        get(row, "structure"),
        get(row, "num_nonlinear_layers"),
        get(row, "activation"),
        get(row, "method"),
        get(row, "zeta"),
        get(row, "local_q_slope_target"),
        get(row, "tau"),
        get(row, "eta"));
  }

  private static String get(Map<String, String> row, String key) {
    String v = row.get(key);
    return v == null ? "" : v.trim();
  }

  /**
   * @throws InvalidArgumentException naming the column at fault
   */
  ShapingRequest toRequest(boolean allowJumpingDerivative) {
    Activation phi = Activations.byName(activation);
    Architecture architecture =
        Architectures.parse(structure, integer("num_nonlinear_layers", depth));
    return ShapingRequest.of(phi, method(allowJumpingDerivative), architecture);
  }

  ShapingMethod method(boolean allowJumpingDerivative) {
    String m = method.toLowerCase(Locale.ROOT);
    switch (m) {
      case "dks":
        return new ShapingMethod.Dks(
            number("zeta", zeta, ShapingMethod.Dks.DEFAULT_ZETA),
            number("local_q_slope_target", qSlope, ShapingMethod.Dks.DEFAULT_LOCAL_Q_SLOPE));
      case "tat":
        return new ShapingMethod.Tat(
            number("tau", tau, ShapingMethod.Tat.DEFAULT_TAU),
            number("eta", eta, ShapingMethod.Tat.DEFAULT_ETA),
            allowJumpingDerivative);
      case "untransformed":
        return new ShapingMethod.Untransformed();
      default:
        throw new InvalidArgumentException(
            "method", "unknown method '" + method + "'; use DKS, TAT or untransformed");
    }
  }

  private static double number(String column, String text, double fallback) {
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(column, "not a number: '" + text + "'");
    }
  }

  private static Integer integer(String column, String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(column, "not an integer: '" + text + "'");
    }
  }
}
