package dev.dkssweep.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRD applied to documents the way the API server applies it, without one: its OpenAPI
 * schema (types, enums, ranges, patterns, list sizes; unknown fields refused, as kubectl's strict
 * field validation does) by a JSON Schema validator, and its {@code x-kubernetes-validations} CEL
 * rules evaluated at their nodes with {@code self} (and, on an update, {@code oldSelf}), as the API
 * server does: a rule runs where its node is present, a transition rule only where the old object
 * had it too.
 */
class CrdValidationTest {

  static final Path CRD = Path.of("dks-sweep", "crds", "sweeps.dkssweep.dev-v1.yml");
  static final Path EXAMPLES = Path.of("..", "examples");
  static final ObjectMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode openApi;
  static Schema schema;
  static Cel cel;

  /** A rule and where it sits (a path of property names from the resource's root). */
  record Rule(List<String> path, String rule, String message) {}

  static final List<Rule> RULES = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    JsonNode crd = YAML.readTree(CRD.toFile());
    openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    JsonNode strict = openApi.deepCopy();
    // the root's apiVersion, kind and metadata are the API server's own: only spec and status close
    strict.path("properties").forEach(CrdValidationTest::closeObjects);
    schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
            .getSchema(JSON.writeValueAsString(strict), InputFormat.JSON);
    collect(openApi, new ArrayList<>());
    cel =
        CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
  }

  /** Objects without their own additionalProperties refuse unknown fields (strict validation). */
  private static void closeObjects(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("properties")
          && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        o.put("additionalProperties", false);
      }
      o.elements().forEachRemaining(CrdValidationTest::closeObjects);
    } else if (node != null && node.isArray()) {
      node.forEach(CrdValidationTest::closeObjects);
    }
  }

  private static void collect(JsonNode node, List<String> path) {
    for (JsonNode r : node.path("x-kubernetes-validations")) {
      RULES.add(new Rule(List.copyOf(path), r.get("rule").asText(), r.path("message").asText()));
    }
    for (Map.Entry<String, JsonNode> e : node.path("properties").properties()) {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      collect(e.getValue(), p);
    }
    if (node.has("items")) {
      List<String> p = new ArrayList<>(path);
      p.add(ITEMS);
      collect(node.get("items"), p);
    }
  }

  /** A path step into every item of a list (a rule on items runs on each one). */
  static final String ITEMS = "[]";

  /** What the API server would say about {@code doc} (an update of {@code old}, if not null). */
  static List<String> violations(String doc, String old) throws Exception {
    JsonNode now = YAML.readTree(doc);
    JsonNode before = old == null ? null : YAML.readTree(old);
    List<String> out = new ArrayList<>();
    schema
        .validate(JSON.writeValueAsString(now), InputFormat.JSON)
        .forEach(e -> out.add(e.toString()));
    for (Rule r : RULES) {
      boolean transition = r.rule().contains("oldSelf");
      if (r.path().contains(ITEMS)) {
        for (JsonNode self : all(now, r.path())) {
          check(r, self, null, out);
        }
        continue;
      }
      JsonNode self = at(now, r.path());
      JsonNode oldSelf = before == null ? null : at(before, r.path());
      if (self != null && (!transition || oldSelf != null)) {
        check(r, self, oldSelf, out);
      }
    }
    return out;
  }

  private static void check(Rule r, JsonNode self, JsonNode oldSelf, List<String> out)
      throws Exception {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("self", value(self));
    if (oldSelf != null) {
      vars.put("oldSelf", value(oldSelf));
    }
    Object result = cel.createProgram(cel.compile(r.rule()).getAst()).eval(vars);
    if (!Boolean.TRUE.equals(result)) {
      out.add(String.join(".", r.path()).replace("." + ITEMS, ITEMS) + ": " + r.message());
    }
  }

  private static JsonNode at(JsonNode root, List<String> path) {
    JsonNode n = root;
    for (String p : path) {
      n = n.get(p);
      if (n == null || n.isNull()) {
        return null;
      }
    }
    return n;
  }

  /** Every node a path with list steps reaches. */
  private static List<JsonNode> all(JsonNode root, List<String> path) {
    List<JsonNode> nodes = List.of(root);
    for (String p : path) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode n : nodes) {
        if (ITEMS.equals(p)) {
          n.forEach(next::add);
        } else if (n.hasNonNull(p)) {
          next.add(n.get(p));
        }
      }
      nodes = next;
    }
    return nodes;
  }

  /** JSON as CEL's values: maps, lists, int (long), double, string, bool. */
  private static Object value(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.properties().forEach(e -> m.put(e.getKey(), value(e.getValue())));
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(value(x)));
      return l;
    }
    if (n.isIntegralNumber()) {
      return n.asLong();
    }
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (n.isBoolean()) {
      return n.asBoolean();
    }
    return n.asText();
  }

  static final String BASE =
      """
      apiVersion: dkssweep.dev/v1alpha1
      kind: Sweep
      metadata: {name: s}
      spec:
        objective: {metric: val_accuracy, goal: maximize}
        space:
          method: [dks, tat]
          activation: [tanh]
          depth: [10, 50]
          learningRate: {values: [0.001, 0.01]}
          seeds: 2
          epochs: 3
        parallelism: 2
        training: {optimizer: adam, batchSize: 128}
      """;

  @Test
  void everyExampleIsAValidResource() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      assertThat(violations(Files.readString(f), null)).as(f.toString()).isEmpty();
    }
    assertThat(violations(BASE, null)).isEmpty();
    assertThat(RULES).as("the CRD carries its CEL rules").hasSizeGreaterThanOrEqualTo(15);
  }

  @Test
  void theSchemaRefusesWrongTypesRangesEnumsAndUnknownFields() throws Exception {
    assertThat(violations(BASE.replace("depth: [10, 50]", "depth: [0]"), null))
        .anySatisfy(v -> assertThat(v).contains("depth"));
    assertThat(violations(BASE.replace("method: [dks, tat]", "method: [dks, magic]"), null))
        .anySatisfy(v -> assertThat(v).contains("method"));
    assertThat(violations(BASE.replace("parallelism: 2", "parallelism: two"), null))
        .anySatisfy(v -> assertThat(v).contains("parallelism"));
    assertThat(violations(BASE.replace("seeds: 2", "seeds: 2\n    colour: blue"), null))
        .anySatisfy(v -> assertThat(v).contains("colour"));
    String many = "depth: [" + String.join(", ", java.util.Collections.nCopies(65, "3")) + "]";
    assertThat(violations(BASE.replace("depth: [10, 50]", many), null))
        .anySatisfy(v -> assertThat(v).contains("depth"));
  }

  static final String PLACED =
      BASE
          + """
            trainer:
              env: [{name: WANDB_MODE, value: offline}]
              queueName: gpu-team
              nodeSelector: {nvidia.com/gpu.product: A100-SXM4-40GB}
              tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                      - matchExpressions: [{key: zone, operator: In, values: [a, b]}]
              priorityClassName: research-low
              runtimeClassName: nvidia
              imagePullSecrets: [{name: regcred}]
          """;

  @Test
  void aTrainersPlacementIsKubernetesOwnShapeAndEnvIsLiteral() throws Exception {
    assertThat(violations(PLACED, null)).isEmpty();
    assertThat(
            violations(
                PLACED.replace(
                    "{name: WANDB_MODE, value: offline}",
                    "{name: KEY, valueFrom: {secretKeyRef: {name: s, key: k}}}"),
                null))
        .anySatisfy(v -> assertThat(v).contains("valueFrom"));
    assertThat(violations(PLACED.replace("queueName: gpu-team", "queueName: Gpu_Team"), null))
        .anySatisfy(v -> assertThat(v).contains("queueName"));
    assertThat(
            violations(
                PLACED.replace("operator: Exists, effect", "operater: Exists, effect"), null))
        .anySatisfy(v -> assertThat(v).contains("operater"));
  }

  @Test
  void celRulesRefuseWhatCrossesFields() throws Exception {
    assertThat(
            violations(
                BASE.replace(
                    "learningRate: {values: [0.001, 0.01]}",
                    "learningRate: {values: [0.001], logRange: {min: 0.001, max: 0.01, count: 2}}"),
                null))
        .containsExactly("spec.space.learningRate: give either values or logRange");
    assertThat(
            violations(
                BASE.replace(
                    "learningRate: {values: [0.001, 0.01]}",
                    "learningRate: {logRange: {min: 0.01, max: 0.001, count: 3}}"),
                null))
        .containsExactly("spec.space.learningRate.logRange: max must be >= min");
    assertThat(
            violations(BASE.replace("seeds: 2", "seeds: 2\n    exclude: [{depth: 10}, {}]"), null))
        .containsExactly(
            "spec.space.exclude[]: name at least one of method, activation, depth, width,"
                + " learningRate, dataset");
    assertThat(violations(BASE + "  strategy: {type: random}\n", null))
        .containsExactly("spec.strategy: a random strategy needs samples (how many cells to draw)");
    assertThat(violations(BASE + "  strategy: {type: random, samples: 4}\n", null)).isEmpty();
  }

  @Test
  void transitionRulesKeepWhatResultsMeanAndLetAxesGrow() throws Exception {
    assertThat(violations(BASE.replace("depth: [10, 50]", "depth: [10, 50, 100]"), BASE)).isEmpty();
    assertThat(violations(BASE.replace("parallelism: 2", "parallelism: 8"), BASE)).isEmpty();
    assertThat(violations(BASE + "  suspend: true\n", BASE)).isEmpty();
    assertThat(violations(BASE.replace("seeds: 2", "seeds: 3"), BASE)).isEmpty();
    assertThat(violations(BASE.replace("depth: [10, 50]", "depth: [10]"), BASE))
        .containsExactly("spec.space: space.depth may only grow once the sweep has started");
    assertThat(violations(BASE.replace("goal: maximize", "goal: minimize"), BASE))
        .containsExactly("spec: objective cannot change once the sweep has started");
    assertThat(violations(BASE.replace("batchSize: 128", "batchSize: 64"), BASE))
        .containsExactly("spec: training cannot change once the sweep has started");
    assertThat(violations(BASE.replace("seeds: 2", "seeds: 1"), BASE))
        .containsExactly("spec.space: space.seeds may only grow once the sweep has started");
    assertThat(violations(BASE.replace("epochs: 3", "epochs: 4"), BASE))
        .containsExactly("spec.space: space.epochs cannot change once the sweep has started");
    assertThat(violations(BASE.replace("method: [dks, tat]", "method: [dks]"), BASE))
        .containsExactly("spec.space: space.method may only grow once the sweep has started");
  }
}
