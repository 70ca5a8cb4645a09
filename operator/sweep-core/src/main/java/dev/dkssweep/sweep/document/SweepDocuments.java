package dev.dkssweep.sweep.document;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.NulCharacters;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads sweep documents: either a whole {@code Sweep} resource ({@code apiVersion:
 * dkssweep.dev/v1alpha1}, {@code kind: Sweep}, {@code metadata}, {@code spec}), so that one file
 * serves both {@code kubectl apply} and {@code ./dks-sweep run}, or a bare spec. Unknown fields are
 * errors, all of them reported at once with their paths; then {@link SweepValidator} runs.
 */
public final class SweepDocuments {

  public static final String API_VERSION = "dkssweep.dev/v1alpha1";
  public static final String KIND = "Sweep";

  /**
   * The largest document read (1 MiB; a sweep is a few kB, and the API server stops at 1.5 MiB).
   */
  public static final int MAX_CHARS = 1 << 20;

  /** The most unknown fields reported for one document. */
  private static final int MAX_UNKNOWN_FIELDS = 100;

  /** Kubernetes object names: DNS-1123 subdomain labels. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /**
   * A second key in one mapping (even a second {@code spec:}) is an error, not a silent winner; so
   * are a fraction where a whole number belongs and a quoted value where a number or a boolean
   * belongs (nothing is truncated or converted behind the user's back); a number or a boolean where
   * text belongs is refused too, as the API server's schema refuses it ({@code cpu: 2} must be
   * {@code cpu: "2"} there), so one file means the same in both modes.
   */
  private static final ObjectMapper YAML =
      ProtocolJson.refuseConversions(
              YAMLMapper.builder(new YAMLFactory())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                  .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                  .disable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                  .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT))
          .build();

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  /** A parsed sweep: its name and namespace (local mode: namespace "local") and the spec. */
  public record SweepDocument(String name, String namespace, SweepSpec spec) {

    /** The spec resolved: what runs. */
    public SweepDefinition definition() {
      return spec.definition();
    }
  }

  private SweepDocuments() {}

  /**
   * Parses and validates.
   *
   * @param defaultName the name when the document has none (the file's base name)
   * @throws InvalidSpecException naming every field at fault
   */
  public static SweepDocument read(String yaml, String defaultName) {
    if (yaml.length() > MAX_CHARS) {
      throw new InvalidSpecException(
          List.of(
              new SpecViolation(
                  "$",
                  "the document is larger than "
                      + MAX_CHARS / 1024
                      + " KiB; a sweep is a few kB")));
    }
    JsonNode root = tree(yaml);
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new InvalidSpecException(List.of(new SpecViolation("$", "empty document")));
    }
    if (!root.isObject()) {
      throw new InvalidSpecException(
          List.of(new SpecViolation("$", "must be a mapping (a Sweep resource or its spec)")));
    }
    Optional<String> nul = NulCharacters.find(root);
    if (nul.isPresent()) {
      throw new InvalidSpecException(List.of(NulCharacters.violation(nul.get())));
    }
    List<SpecViolation> violations = new ArrayList<>();
    String name = defaultName;
    String namespace = "local";
    JsonNode specNode = root;
    if (root.has("kind") || root.has("apiVersion") || root.has("spec")) {
      String apiVersion = root.path("apiVersion").asText(null);
      if (!API_VERSION.equals(apiVersion)) {
        violations.add(
            new SpecViolation("apiVersion", "must be " + API_VERSION + ", got " + apiVersion));
      }
      String kind = root.path("kind").asText(null);
      if (!KIND.equals(kind)) {
        violations.add(new SpecViolation("kind", "must be " + KIND + ", got " + kind));
      }
      JsonNode metadata = root.path("metadata");
      if (metadata.hasNonNull("name")) {
        name = metadata.get("name").asText();
      }
      if (metadata.hasNonNull("namespace")) {
        namespace = metadata.get("namespace").asText();
      }
      root.fieldNames()
          .forEachRemaining(
              f -> {
                if (!List.of("apiVersion", "kind", "metadata", "spec", "status").contains(f)) {
                  violations.add(
                      new SpecViolation(
                          f,
                          "unknown field; a Sweep has apiVersion, kind," + " metadata and spec"));
                }
              });
      specNode = root.path("spec");
      if (!specNode.isObject()) {
        violations.add(new SpecViolation("spec", "is required"));
        throw new InvalidSpecException(violations);
      }
    }
    checkName(violations, "metadata.namespace", namespace);
    checkName(violations, "metadata.name", name);
    SweepSpec spec = bind(specNode, violations);
    if (spec != null) {
      violations.addAll(SweepValidator.validate(spec));
    }
    if (!violations.isEmpty()) {
      throw new InvalidSpecException(violations);
    }
    return new SweepDocument(name, namespace, spec);
  }

  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

  /**
   * The one YAML document of {@code yaml} as a tree. A syntax error names its line and column; a
   * key given twice is named with its path; a second document (after {@code ---}) is an error, not
   * silently ignored.
   */
  private static JsonNode tree(String yaml) {
    try (JsonParser parser = YAML.createParser(yaml)) {
      JsonNode root = YAML.readTree(parser);
      if (root != null && parser.nextToken() != null) {
        throw new InvalidSpecException(
            List.of(
                new SpecViolation(
                    "$",
                    "holds more than one YAML document (a second starts at line "
                        + parser.currentTokenLocation().getLineNr()
                        + "); a sweep file holds one")));
      }
      return root;
    } catch (JsonProcessingException e) {
      Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
      if (duplicate.matches() && e.getProcessor() instanceof JsonParser p) {
        String parent = fieldPath(p.getParsingContext().getParent());
        String field = parent.isEmpty() ? duplicate.group(1) : parent + "." + duplicate.group(1);
        throw new InvalidSpecException(
            List.of(
                new SpecViolation(
                    field,
                    "is given twice"
                        + at(e)
                        + "; give each field once (the second would silently win)")));
      }
      throw new InvalidSpecException(
          List.of(
              new SpecViolation("$", "not valid YAML" + at(e) + ": " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new InvalidSpecException(List.of(new SpecViolation("$", "cannot be read: " + e)));
    }
  }

  private static String at(JsonProcessingException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  /** The field path of a parsing context ({@code space.exclude[0]}; empty at the root). */
  private static String fieldPath(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, c.getCurrentName());
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static void checkName(List<SpecViolation> violations, String field, String value) {
    if (value == null || !NAME.matcher(value).matches() || value.length() > 63) {
      violations.add(
          new SpecViolation(
              field,
              "must be lower-case letters, digits and '-', at most 63 characters, got '"
                  + value
                  + "'"));
    }
  }

  /** A definition as compact JSON, every default written out: what the store keeps. */
  public static String toJson(SweepDefinition definition) {
    return toJson(SweepDefinitionMapper.toDocument(definition));
  }

  /** A spec as compact JSON. */
  public static String toJson(SweepSpec spec) {
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the sweep spec", e);
    }
  }

  /** Reads back a definition stored by {@link #toJson(SweepDefinition)}. */
  public static SweepDefinition definitionFromJson(String json) {
    return fromJson(json).definition();
  }

  /** Reads a spec stored by {@link #toJson}. */
  public static SweepSpec fromJson(String json) {
    try {
      return YAML.readValue(json, SweepSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored sweep spec is not readable: " + e.getMessage(), e);
    }
  }

  /**
   * Binds the spec, reporting every unknown field with its exact path: each one Jackson stops at is
   * recorded (its path is Jackson's own reference chain) and taken out of a copy of the tree, and
   * the binding is tried again, until only real errors, or none, are left.
   */
  private static SweepSpec bind(JsonNode node, List<SpecViolation> violations) {
    JsonNode tree = node.deepCopy();
    for (int unknown = 0; unknown <= MAX_UNKNOWN_FIELDS; unknown++) {
      try {
        return YAML.treeToValue(tree, SweepSpec.class);
      } catch (UnrecognizedPropertyException e) {
        violations.add(
            new SpecViolation(
                path(e.getPath()),
                "unknown field"
                    + (e.getKnownPropertyIds() == null || e.getKnownPropertyIds().isEmpty()
                        ? ""
                        : "; known fields here: "
                            + e.getKnownPropertyIds().stream().map(String::valueOf).toList())));
        if (!remove(tree, e.getPath())) {
          return null;
        }
      } catch (JsonMappingException e) {
        violations.add(violation(e));
        return null;
      } catch (JsonProcessingException e) {
        violations.add(new SpecViolation("$", e.getOriginalMessage()));
        return null;
      } catch (IllegalArgumentException e) {
        violations.add(new SpecViolation("$", e.getMessage()));
        return null;
      }
    }
    violations.add(new SpecViolation("$", "more than " + MAX_UNKNOWN_FIELDS + " unknown fields"));
    return null;
  }

  /** Removes the field a reference chain ends at; false when the chain does not lead to one. */
  private static boolean remove(JsonNode tree, List<JsonMappingException.Reference> refs) {
    if (refs.isEmpty()) {
      return false;
    }
    JsonNode at = tree;
    for (JsonMappingException.Reference r : refs.subList(0, refs.size() - 1)) {
      if (r.getFieldName() != null) {
        at = at.get(r.getFieldName());
      } else if (at.isArray()) {
        at = at.get(r.getIndex());
      } // else a single value read as a one-element list: the value itself
      if (at == null) {
        return false;
      }
    }
    String field = refs.get(refs.size() - 1).getFieldName();
    if (!(at instanceof ObjectNode object) || field == null || !object.has(field)) {
      return false;
    }
    object.remove(field);
    return true;
  }

  private static SpecViolation violation(JsonMappingException e) {
    String path = path(e.getPath());
    Throwable cause = e.getCause();
    String message =
        cause instanceof IllegalArgumentException && cause.getMessage() != null
            ? cause.getMessage()
            : e.getOriginalMessage()
                .replaceAll(" \\(class [^)]*\\)", "")
                .replace(" (but could if coercion was enabled using `CoercionConfig`)", "");
    if (e instanceof MismatchedInputException m
        && m.getTargetType() == String.class
        && message.startsWith("Cannot coerce")) {
      message += "; text is written in quotes here, e.g. \"2\"";
    }
    return new SpecViolation(path.isEmpty() ? "$" : path, message);
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    return refs.stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }
}
