package dev.dkssweep.sweep.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Finds U+0000 in a parsed document: PostgreSQL cannot store it in text or jsonb, so a document
 * carrying one is refused up front, naming the field, instead of failing when it is written.
 */
public final class NulCharacters {

  private NulCharacters() {}

  /** The path ({@code a.b[2].c}) of the first field name or string holding U+0000, if any. */
  public static Optional<String> find(JsonNode node) {
    return find(node, "");
  }

  /** A refusal of the field at {@code path}. */
  public static SpecViolation violation(String path) {
    return new SpecViolation(
        path.isEmpty() ? "$" : path,
        "contains a NUL character (U+0000), which cannot be stored; remove it");
  }

  private static Optional<String> find(JsonNode node, String path) {
    if (node.isTextual()) {
      return node.textValue().indexOf('\0') >= 0 ? Optional.of(path) : Optional.empty();
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = find(node.get(i), path + "[" + i + "]");
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getKey().indexOf('\0') >= 0) {
          return Optional.of(child);
        }
        Optional<String> found = find(e.getValue(), child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
