package dev.dkssweep.sweep.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Over a thousand malformed sweep documents, generated from a valid one (every field given) with a
 * fixed seed: wrong types and out-of-range numbers at every field, unknown and missing fields,
 * control and unicode characters, markup, SQL and template strings, deep nesting, huge documents,
 * alias bombs, duplicate keys, truncations and garbage. Each must be refused with every violation
 * naming a field (at or around the one broken), or, where the change keeps the document valid,
 * accepted with the value kept verbatim; nothing else (no other exception, no endless parse).
 */
class BadSweepDocumentsTest {

  static final YAMLMapper YAML = new YAMLMapper();
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** A path into the document: field names and list indices. */
  record Path(List<Object> steps) {
    String text() {
      StringBuilder b = new StringBuilder();
      for (Object s : steps) {
        if (s instanceof Integer i) {
          b.append('[').append(i).append(']');
        } else {
          b.append(b.isEmpty() ? "" : ".").append(s);
        }
      }
      return b.toString();
    }

    String top() {
      return steps.isEmpty() ? "" : steps.get(0).toString();
    }

    Path child(Object step) {
      List<Object> s = new ArrayList<>(steps);
      s.add(step);
      return new Path(s);
    }
  }

  /**
   * One malformed document and the field it breaks (null: the document as a whole); {@code kept}:
   * the text an accepted document must keep verbatim, {@link #SAME_KIND} for a value of the field's
   * own kind that may be valid, null when the document must be refused.
   */
  record Case(String family, String yaml, Path broken, String kept) {}

  static final String SAME_KIND = "\u0000same kind";

  static String kind(JsonNode n) {
    return BadValues.kind(n);
  }

  static JsonNode base() {
    try {
      return YAML.readTree(SpecFixtures.FULL);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void paths(JsonNode n, Path p, List<Path> leaves, List<Path> containers) {
    if (n.isObject()) {
      containers.add(p);
      n.fieldNames().forEachRemaining(f -> paths(n.get(f), p.child(f), leaves, containers));
    } else if (n.isArray()) {
      containers.add(p);
      for (int i = 0; i < n.size(); i++) {
        paths(n.get(i), p.child(i), leaves, containers);
      }
    } else {
      leaves.add(p);
    }
  }

  static JsonNode parentOf(JsonNode root, Path p) {
    JsonNode n = root;
    for (Object s : p.steps().subList(0, p.steps().size() - 1)) {
      n = s instanceof Integer i ? n.get(i) : n.get((String) s);
    }
    return n;
  }

  static JsonNode set(JsonNode base, Path p, JsonNode value) {
    JsonNode root = base.deepCopy();
    JsonNode parent = parentOf(root, p);
    Object last = p.steps().get(p.steps().size() - 1);
    if (last instanceof Integer i) {
      ((ArrayNode) parent).set(i, value);
    } else {
      ((ObjectNode) parent).set((String) last, value);
    }
    return root;
  }

  static JsonNode remove(JsonNode base, Path p) {
    JsonNode root = base.deepCopy();
    JsonNode parent = parentOf(root, p);
    Object last = p.steps().get(p.steps().size() - 1);
    if (last instanceof Integer i) {
      ((ArrayNode) parent).remove(i);
    } else {
      ((ObjectNode) parent).remove((String) last);
    }
    return root;
  }

  static String yaml(JsonNode n) {
    try {
      return YAML.writeValueAsString(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Case> cases() {
    JsonNode base = base();
    List<Path> leaves = new ArrayList<>();
    List<Path> containers = new ArrayList<>();
    paths(base, new Path(List.of()), leaves, containers);
    Random random = new Random(20261202L);
    List<Case> out = new ArrayList<>();
    // other values at every leaf: of another kind (a number for text, text for a number...),
    // which must be refused, or of the same kind (another number), which may be valid
    for (Path p : leaves) {
      JsonNode original = leafOf(base, p);
      for (Supplier<JsonNode> v : BadValues.OF_EVERY_KIND) {
        JsonNode value = v.get();
        boolean sameKind = kind(value).equals(kind(original));
        out.add(
            new Case(
                sameKind ? "value" : "type",
                yaml(set(base, p, value)),
                p,
                sameKind ? SAME_KIND : null));
      }
    }
    // whole lists and objects replaced by scalars, emptied, or given unknown fields
    for (Path p : containers) {
      if (p.steps().isEmpty()) {
        continue;
      }
      JsonNode n = parentOf(base, p.child(0)); // the container itself
      // a list given as one value of its kind is the documented shorthand (width: 128)
      for (JsonNode scalar : List.of(F.textNode("x"), F.numberNode(7))) {
        boolean shorthand =
            (n.isArray() && !n.isEmpty() && kind(n.get(0)).equals(kind(scalar)))
                || (p.text().equals("space.learningRate") && scalar.isNumber()); // one rate
        out.add(
            new Case(
                shorthand ? "list-shorthand" : "container-" + kind(scalar),
                yaml(set(base, p, scalar)),
                p,
                shorthand ? SAME_KIND : null));
      }
      if (n.isObject()) {
        JsonNode unknown = base.deepCopy();
        ((ObjectNode) parentOf(unknown, p.child("bogus"))).put("bogus", 1);
        out.add(new Case("unknown-field", yaml(unknown), p.child("bogus"), null));
        JsonNode listValued = base.deepCopy();
        ((ObjectNode) parentOf(listValued, p.child("extraList")))
            .set("extraList", F.arrayNode().add(1).add(2));
        out.add(new Case("unknown-list-field", yaml(listValued), p.child("extraList"), null));
      }
    }
    JsonNode topUnknown = base.deepCopy();
    ((ObjectNode) topUnknown).put("paralelism", 3);
    out.add(new Case("unknown-field", yaml(topUnknown), new Path(List.of("paralelism")), null));
    // required parts missing
    for (String required : List.of("objective", "space")) {
      out.add(
          new Case(
              "missing",
              yaml(remove(base, new Path(List.of(required)))),
              new Path(List.of(required)),
              null));
    }
    for (String required : List.of("metric", "goal")) {
      Path p = new Path(List.of("objective", required));
      out.add(new Case("missing", yaml(remove(base, p)), p, null));
    }
    for (String axis : List.of("method", "activation", "depth", "learningRate")) {
      Path p = new Path(List.of("space", axis));
      out.add(new Case("missing", yaml(remove(base, p)), p, null));
    }
    // hostile strings in every string field (some fields take any text: kept verbatim there)
    for (Path p : leaves) {
      JsonNode leaf = leafOf(base, p);
      if (!leaf.isTextual()) {
        continue;
      }
      for (String s : BadValues.HOSTILE_STRINGS) {
        out.add(new Case("hostile-string", yaml(set(base, p, F.textNode(s))), p, s));
      }
    }
    // hostile names for the resource form
    for (String s :
        List.of("UPPER", "a".repeat(64), "-lead", "trail-", "dots.in.name", "ünï", "a b", "")) {
      out.add(
          new Case(
              "resource-name",
              resource("name: " + quoted(s)),
              new Path(List.of("metadata", "name")),
              null));
      out.add(
          new Case(
              "resource-namespace",
              resource("name: ok\n  namespace: " + quoted(s)),
              new Path(List.of("metadata", "namespace")),
              null));
    }
    out.add(
        new Case(
            "resource",
            resource("name: ok").replace("dkssweep.dev/v1alpha1", "v1"),
            new Path(List.of("apiVersion")),
            null));
    out.add(
        new Case(
            "resource",
            resource("name: ok").replace("kind: Sweep", "kind: Job"),
            new Path(List.of("kind")),
            null));
    out.add(
        new Case(
            "resource",
            resource("name: ok").replace("spec:", "spek:"),
            new Path(List.of("spec")),
            null));
    // structure: nesting, size, aliases, duplicates, truncation, garbage
    out.add(
        new Case(
            "deep",
            SpecFixtures.FULL + "extra: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
            null,
            null));
    out.add(
        new Case(
            "deep",
            SpecFixtures.FULL + "extra: " + "{a: ".repeat(3000) + "1" + "}".repeat(3000) + "\n",
            null,
            null));
    out.add(
        new Case(
            "huge",
            SpecFixtures.FULL + "# " + "x".repeat(SweepDocuments.MAX_CHARS) + "\n",
            null,
            null));
    out.add(
        new Case(
            "huge-list", // larger than a document may be: refused as a whole
            yaml(set(base, new Path(List.of("space", "depth")), hugeList(200_000))),
            null,
            null));
    out.add(new Case("alias-bomb", aliasBomb(), null, null));
    out.add(
        new Case(
            "duplicate",
            SpecFixtures.FULL + "parallelism: 9\n",
            new Path(List.of("parallelism")),
            null));
    out.add(new Case("duplicate", "spec: {}\n" + resource("name: ok"), null, null));
    out.add(new Case("tabs", SpecFixtures.FULL.replace("  method", "\tmethod"), null, null));
    out.add(
        new Case("multi-document", SpecFixtures.FULL + "---\n" + SpecFixtures.FULL, null, null));
    for (String root :
        List.of(
            "",
            "   ",
            "~",
            "42",
            "- a\n- b\n",
            "\"just text\"",
            "!!binary AAAA",
            "? complex\n: key\n")) {
      out.add(new Case("root", root, null, null));
    }
    for (int i = 0; i < 60; i++) {
      int cut = 1 + random.nextInt(SpecFixtures.FULL.length() - 1);
      // a cut at a line's end can leave a shorter valid sweep: nothing can tell it was cut
      out.add(new Case("truncated", SpecFixtures.FULL.substring(0, cut), null, SAME_KIND));
    }
    for (int i = 0; i < 40; i++) {
      char[] garbage = new char[1 + random.nextInt(400)];
      for (int j = 0; j < garbage.length; j++) {
        garbage[j] = (char) random.nextInt(0x3000);
      }
      out.add(new Case("garbage", new String(garbage), null, null));
    }
    for (int i = 0; i < 60; i++) {
      char[] doc = SpecFixtures.FULL.toCharArray();
      for (int k = 0; k < 3; k++) {
        String flips = "{}[]:,-&*!|>'\"%@`#\u0000\t";
        doc[random.nextInt(doc.length)] = flips.charAt(random.nextInt(flips.length()));
      }
      out.add(new Case("flipped", new String(doc), null, null));
    }
    return out;
  }

  static JsonNode leafOf(JsonNode root, Path p) {
    JsonNode parent = parentOf(root, p);
    Object last = p.steps().get(p.steps().size() - 1);
    return last instanceof Integer i ? parent.get(i) : parent.get((String) last);
  }

  static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static String resource(String metadata) {
    return "apiVersion: dkssweep.dev/v1alpha1\nkind: Sweep\nmetadata:\n  "
        + metadata
        + "\nspec:\n"
        + SpecFixtures.FULL.indent(2);
  }

  static ArrayNode hugeList(int n) {
    ArrayNode a = F.arrayNode();
    for (int i = 0; i < n; i++) {
      a.add(4 + i);
    }
    return a;
  }

  /** The "billion laughs": nine levels of aliases, each ten of the one below. */
  static String aliasBomb() {
    StringBuilder b = new StringBuilder(SpecFixtures.FULL).append("lol0: &a0 [lol]\n");
    for (int i = 1; i < 10; i++) {
      b.append("lol").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    return b.toString();
  }

  static boolean related(String field, Path broken) {
    if (broken == null || broken.steps().isEmpty()) {
      return true;
    }
    String b = broken.text();
    String top = broken.top();
    return field.equals(b)
        || field.startsWith(b)
        || b.startsWith(field)
        || field.equals(top)
        || field.startsWith(top + ".")
        || field.startsWith(top + "[");
  }

  @Test
  void everyMalformedDocumentIsRefusedNamingItsFieldOrKeptVerbatim() {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(1000);
    Map<String, int[]> byFamily = new LinkedHashMap<>(); // refused, accepted
    List<String> wrong = new ArrayList<>();
    Assertions.assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          for (Case c : cases) {
            int[] counts = byFamily.computeIfAbsent(c.family(), k -> new int[2]);
            String where = c.family() + " at " + (c.broken() == null ? "$" : c.broken().text());
            try {
              SweepDocuments.SweepDocument doc = SweepDocuments.read(c.yaml(), "bad");
              doc.definition(); // what runs resolves too
              counts[1]++;
              String json = SweepDocuments.toJson(doc.spec());
              if (c.kept() == null) {
                wrong.add(where + ": accepted " + valueAt(c));
              } else if (c.kept().equals(SAME_KIND)) {
                // another value of the field's kind that the validator finds acceptable
              } else if (!json.contains(json(c.kept()))) {
                wrong.add(where + ": accepted but not kept verbatim");
              }
            } catch (InvalidSpecException e) {
              counts[0]++;
              List<SpecViolation> v = e.violations();
              if (v.isEmpty()
                  || v.stream()
                      .anyMatch(
                          x ->
                              x.field() == null
                                  || x.field().isBlank()
                                  || x.message() == null
                                  || x.message().isBlank()
                                  || x.message().length() > SpecViolation.MAX_MESSAGE)) {
                wrong.add(where + ": a violation without its field or message: " + v);
              } else if (v.stream().noneMatch(x -> related(x.field(), c.broken()))) {
                wrong.add(where + ": no violation names it: " + v);
              }
            } catch (Throwable t) {
              wrong.add(where + ": " + t);
            }
          }
        });
    assertThat(wrong)
        .as(
            "%d of %d documents handled wrongly, e.g. %s",
            wrong.size(), cases.size(), wrong.stream().limit(40).toList())
        .isEmpty();
    int refused = byFamily.values().stream().mapToInt(c -> c[0]).sum();
    int accepted = byFamily.values().stream().mapToInt(c -> c[1]).sum();
    StringBuilder report =
        new StringBuilder(
            "bad sweep documents: "
                + cases.size()
                + " tried, "
                + refused
                + " refused, "
                + accepted
                + " accepted verbatim\n");
    byFamily.forEach(
        (f, c) ->
            report
                .append("  ")
                .append(f)
                .append(": ")
                .append(c[0])
                .append(" refused, ")
                .append(c[1])
                .append(" accepted\n"));
    System.out.println(report);
    assertThat(refused).isGreaterThan(accepted);
  }

  static String valueAt(Case c) {
    if (c.broken() == null) {
      return "";
    }
    try {
      JsonNode n = YAML.readTree(c.yaml());
      JsonNode v = leafOf(n, c.broken());
      String t = v == null ? "(none)" : v.toString();
      return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    } catch (Exception e) {
      return "";
    }
  }

  /** The JSON form of a string as the store writes it (quotes and escapes), without its quotes. */
  static String json(String s) {
    try {
      String q = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
      return q.substring(1, q.length() - 1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
