package dev.dkssweep.sweep.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepDocumentsTest {

  static final String MINIMAL =
      """
      objective: {metric: val_accuracy, goal: maximize}
      space:
        method: [dks, standard]
        activation: tanh
        depth: [10, 50]
        learningRate: [0.01, 0.1]
      """;

  static List<String> fields(String yaml) {
    InvalidSpecException e =
        catchThrowableOfType(InvalidSpecException.class, () -> SweepDocuments.read(yaml, "t"));
    assertThat(e).as("expected violations for:%n%s", yaml).isNotNull();
    return e.violations().stream().map(SpecViolation::field).toList();
  }

  @Test
  void readsABareSpecWithDefaultsAndSingleValuesAsLists() {
    SweepDocuments.SweepDocument d = SweepDocuments.read(MINIMAL, "mini");
    assertThat(d.name()).isEqualTo("mini");
    assertThat(d.namespace()).isEqualTo("local");
    SweepDefinition r = d.definition();
    assertThat(r.space().activations()).containsExactly("tanh");
    assertThat(r.space().methods()).containsExactly(Method.DKS, Method.STANDARD);
    assertThat(r.space().widths()).isEqualTo(Defaults.WIDTH);
    assertThat(r.objective().reduce()).isEqualTo(Reduce.LAST);
    assertThat(r.parallelism()).isEqualTo(1);
    assertThat(r.earlyStopping().rule()).isEqualTo(StoppingRule.NONE);
    assertThat(r.methodParams().zeta()).isEqualTo(1.5);
  }

  @Test
  void readsTheExamplesAsSweepResources() throws IOException {
    for (String file : List.of("quickstart.yaml", "paper-table.yaml", "paper-table-cpu.yaml")) {
      Path p = examples().resolve(file);
      SweepDocuments.SweepDocument d = SweepDocuments.read(Files.readString(p), "x");
      assertThat(d.name()).as(file).isEqualTo(file.replace(".yaml", ""));
      assertThat(CellExpander.expand(d.definition())).as(file).isNotEmpty();
    }
  }

  @Test
  void thePaperTableCpuExampleStaysTheComparisonDocsResultsReports() throws IOException {
    String yaml = Files.readString(examples().resolve("paper-table-cpu.yaml"));
    SweepDocuments.SweepDocument d = SweepDocuments.read(yaml, "x");
    assertThat(SweepValidator.validate(d.spec())).isEmpty();
    SweepDefinition r = d.definition();
    assertThat(r.space().methods()).containsExactlyInAnyOrder(Method.values());
    assertThat(r.baselines()).containsExactly("resnet-bn");
    assertThat(r.space().activations())
        .containsExactlyInAnyOrder("tanh", "softplus", "sigmoid", "leaky_relu");
    assertThat(r.space().depths()).containsExactly(10, 50, 100);
    assertThat(r.space().datasets()).containsExactly("fashion-mnist");
    assertThat(r.space().seeds()).isGreaterThanOrEqualTo(2);
    List<Double> rates = r.space().learningRates().values();
    assertThat(rates).hasSizeGreaterThanOrEqualTo(3);
    assertThat(rates.get(0)).isEqualTo(1e-4);
    assertThat(rates.get(rates.size() - 1)).isEqualTo(1e-2);
    // every method, and the baseline, at every (activation, depth) and rate
    List<Cell> cells = CellExpander.expand(r);
    assertThat(cells).hasSize(5 * 4 * 3 * rates.size());
    assertThat(cells.stream().map(Cell::arm).distinct())
        .containsExactlyInAnyOrder("dks", "tat", "standard", "orthogonal", "resnet-bn");
  }

  static Path examples() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the repository's examples/ folder").isNotNull();
    return dir.resolve("examples");
  }

  @Test
  void reportsEveryUnknownFieldAtOnceWithItsPath() {
    String yaml =
        MINIMAL
            + """
            parallelizm: 3
            budget: {maxTrial: 3}
            """;
    InvalidSpecException e =
        catchThrowableOfType(
            InvalidSpecException.class,
            () -> SweepDocuments.read(yaml.replace("depth:", "depht:\n  depth:"), "t"));
    assertThat(e.violations())
        .extracting(SpecViolation::field)
        .contains("parallelizm", "budget.maxTrial");
    assertThat(e.violations().get(0).message()).contains("unknown field");
  }

  @Test
  void checksTheResourceEnvelope() {
    String yaml =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: Bad_Name}
        spec:
        """
            + MINIMAL.indent(2);
    assertThat(fields(yaml)).contains("apiVersion", "kind", "metadata.name");
  }

  @Test
  void typeErrorsNameTheirField() {
    assertThat(fields(MINIMAL.replace("depth: [10, 50]", "depth: [10, deep]")))
        .containsExactly("space.depth[1]");
    assertThat(fields(MINIMAL + "earlyStopping: {rule: sometimes}"))
        .containsExactly("earlyStopping.rule");
    assertThat(fields("[1, 2]")).containsExactly("$");
    assertThat(fields("a: [")).containsExactly("$");
  }

  @Test
  void roundTripsThroughTheStoredJson() {
    SweepSpec spec = SweepDocuments.read(MINIMAL, "m").spec();
    assertThat(SweepDocuments.fromJson(SweepDocuments.toJson(spec))).isEqualTo(spec);
    SweepDefinition resolved = spec.definition();
    assertThat(SweepDocuments.definitionFromJson(SweepDocuments.toJson(resolved)))
        .isEqualTo(resolved);
  }

  @Test
  void aNulCharacterIsRefusedWithItsField() {
    assertThat(fields(MINIMAL + "trainer: {args: [\"--x\\0\"]}\n"))
        .containsExactly("trainer.args[0]");
    assertThat(fields(MINIMAL + "training: {dataPath: \"/data\\0\"}\n"))
        .containsExactly("training.dataPath");
  }

  @Test
  void aSecondKeyIsAnErrorNotASilentWinner() {
    assertThat(
            fields(
                "apiVersion: dkssweep.dev/v1alpha1\nkind: Sweep\nmetadata: {name: x}\nspec:\n"
                    + MINIMAL.indent(2)
                    + "spec:\n  parallelism: 2\n"))
        .containsExactly("spec");
    assertThat(fields(MINIMAL + "parallelism: 2\nparallelism: 3\n")).containsExactly("parallelism");
    assertThat(fields(MINIMAL.replace("depth: [10, 50]", "depth: [10, 50]\n  depth: [4]")))
        .as("named with its path")
        .containsExactly("space.depth");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SweepDocuments.read(MINIMAL + "parallelism: 2\nparallelism: 3\n", "x"))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.violations().get(0).message())
                    .contains("is given twice")
                    .contains("line "));
  }

  @Test
  void aSecondDocumentIsAnErrorNotIgnored() {
    assertThat(fields(MINIMAL + "---\n" + MINIMAL)).containsExactly("$");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SweepDocuments.read(MINIMAL + "---\nparallelism: 9\n", "x"))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.violations().get(0).message())
                    .contains("more than one YAML document"));
  }

  @Test
  void numbersAreNotTruncatedOrConvertedSilently() {
    assertThat(fields(MINIMAL + "parallelism: 2.5\n")).containsExactly("parallelism");
    assertThat(fields(MINIMAL + "parallelism: \"2\"\n")).containsExactly("parallelism");
    assertThat(fields(MINIMAL.replace("depth: [10, 50]", "depth: [10, \"50\"]")))
        .containsExactly("space.depth[1]");
  }

  @Test
  void anUnknownFieldWithAListValueIsReportedAtItsOwnPath() {
    assertThat(fields(MINIMAL.replace("depth: [10, 50]", "depth: [10, 50]\n  depths: [1, 2]")))
        .containsExactly("space.depths");
  }

  @Test
  void theNamespaceIsChecked() {
    assertThat(
            fields(
                "apiVersion: dkssweep.dev/v1alpha1\nkind: Sweep\n"
                    + "metadata: {name: x, namespace: Team_A}\nspec:\n"
                    + MINIMAL.indent(2)))
        .containsExactly("metadata.namespace");
  }
}
