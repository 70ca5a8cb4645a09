package dev.dkssweep.sweep.document;

import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a trainer's {@code affinity}: Kubernetes' pod affinity (node affinity, pod affinity
 * and anti-affinity), checked field by field as the API server checks the Job it becomes, so that a
 * misspelt field or a value of the wrong kind is refused with its path in both modes (the sweep
 * keeps the affinity as plain JSON; the cluster's CRD has the same shape as its schema).
 */
final class AffinityChecks {

  /** The most entries of any list in an affinity. */
  static final int MAX_ITEMS = 32;

  /** What a value must look like. */
  interface Shape {}

  /** A mapping with these fields, of which {@code required} must be given. */
  record Obj(Map<String, Shape> fields, Set<String> required) implements Shape {}

  record ListOf(Shape item) implements Shape {}

  record Text() implements Shape {}

  record Whole(int min, int max) implements Shape {}

  record OneOf(Set<String> values) implements Shape {}

  /** A mapping of text to text (labels). */
  record TextMap() implements Shape {}

  private static final Shape TEXT = new Text();
  private static final Shape TEXTS = new ListOf(TEXT);
  private static final Shape WEIGHT = new Whole(1, 100);

  private static Shape requirement(Set<String> operators) {
    return new Obj(
        Map.of("key", TEXT, "operator", new OneOf(operators), "values", TEXTS),
        Set.of("key", "operator"));
  }

  /** A node selector requirement: node labels also compare as numbers (Gt, Lt). */
  private static final Shape NODE_REQUIREMENTS =
      new ListOf(requirement(Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt")));

  private static final Shape NODE_TERM =
      new Obj(
          Map.of("matchExpressions", NODE_REQUIREMENTS, "matchFields", NODE_REQUIREMENTS),
          Set.of());

  private static final Shape NODE_AFFINITY =
      new Obj(
          Map.of(
              "requiredDuringSchedulingIgnoredDuringExecution",
              new Obj(
                  Map.of("nodeSelectorTerms", new ListOf(NODE_TERM)), Set.of("nodeSelectorTerms")),
              "preferredDuringSchedulingIgnoredDuringExecution",
              new ListOf(
                  new Obj(
                      Map.of("weight", WEIGHT, "preference", NODE_TERM),
                      Set.of("weight", "preference")))),
          Set.of());

  private static final Shape LABEL_SELECTOR =
      new Obj(
          Map.of(
              "matchLabels",
              new TextMap(),
              "matchExpressions",
              new ListOf(requirement(Set.of("In", "NotIn", "Exists", "DoesNotExist")))),
          Set.of());

  private static final Shape POD_TERM =
      new Obj(
          Map.of(
              "labelSelector", LABEL_SELECTOR,
              "namespaceSelector", LABEL_SELECTOR,
              "namespaces", TEXTS,
              "topologyKey", TEXT,
              "matchLabelKeys", TEXTS,
              "mismatchLabelKeys", TEXTS),
          Set.of("topologyKey"));

  private static final Shape POD_AFFINITY =
      new Obj(
          Map.of(
              "requiredDuringSchedulingIgnoredDuringExecution",
              new ListOf(POD_TERM),
              "preferredDuringSchedulingIgnoredDuringExecution",
              new ListOf(
                  new Obj(
                      Map.of("weight", WEIGHT, "podAffinityTerm", POD_TERM),
                      Set.of("weight", "podAffinityTerm")))),
          Set.of());

  static final Shape AFFINITY =
      new Obj(
          Map.of(
              "nodeAffinity", NODE_AFFINITY,
              "podAffinity", POD_AFFINITY,
              "podAntiAffinity", POD_AFFINITY),
          Set.of());

  private AffinityChecks() {}

  /** Checks {@code affinity} (null: none), adding a violation per misfit with its path. */
  static void check(List<SpecViolation> v, Map<String, Object> affinity) {
    if (affinity != null) {
      check(v, "trainer.affinity", affinity, AFFINITY);
    }
  }

  private static void check(List<SpecViolation> v, String path, Object value, Shape shape) {
    if (shape instanceof Obj o) {
      if (!(value instanceof Map<?, ?> map)) {
        v.add(new SpecViolation(path, "must be a mapping, got " + kind(value)));
        return;
      }
      for (var e : map.entrySet()) {
        String field = String.valueOf(e.getKey());
        Shape s = o.fields().get(field);
        if (s == null) {
          v.add(
              new SpecViolation(
                  path + "." + field,
                  "unknown field; known fields here: "
                      + o.fields().keySet().stream().sorted().toList()));
        } else if (e.getValue() != null) {
          check(v, path + "." + field, e.getValue(), s);
        }
      }
      for (String r : o.required()) {
        if (map.get(r) == null) {
          v.add(new SpecViolation(path + "." + r, "is required"));
        }
      }
    } else if (shape instanceof ListOf l) {
      if (!(value instanceof List<?> list)) {
        v.add(new SpecViolation(path, "must be a list, got " + kind(value)));
        return;
      }
      if (list.size() > MAX_ITEMS) {
        v.add(new SpecViolation(path, "at most " + MAX_ITEMS + " entries"));
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        check(v, path + "[" + i + "]", list.get(i), l.item());
      }
    } else if (shape instanceof Text) {
      if (!(value instanceof String)) {
        v.add(new SpecViolation(path, "must be text (in quotes), got " + kind(value)));
      }
    } else if (shape instanceof Whole w) {
      if (!(value instanceof Integer i) || i < w.min() || i > w.max()) {
        v.add(
            new SpecViolation(
                path,
                "must be a whole number from " + w.min() + " to " + w.max() + ", got " + value));
      }
    } else if (shape instanceof OneOf o) {
      if (!(value instanceof String s) || !o.values().contains(s)) {
        v.add(
            new SpecViolation(
                path,
                "must be one of " + o.values().stream().sorted().toList() + ", got " + value));
      }
    } else if (shape instanceof TextMap) {
      if (!(value instanceof Map<?, ?> map)) {
        v.add(new SpecViolation(path, "must be a mapping of text to text, got " + kind(value)));
        return;
      }
      for (var e : map.entrySet()) {
        if (!(e.getValue() instanceof String)) {
          v.add(
              new SpecViolation(
                  path + "." + e.getKey(), "must be text (in quotes), got " + kind(e.getValue())));
        }
      }
    }
  }

  private static String kind(Object value) {
    if (value == null) {
      return "nothing";
    }
    if (value instanceof Map) {
      return "a mapping";
    }
    if (value instanceof List) {
      return "a list";
    }
    if (value instanceof String s) {
      return "the text '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
    return value instanceof Boolean ? "the boolean " + value : "the number " + value;
  }
}
