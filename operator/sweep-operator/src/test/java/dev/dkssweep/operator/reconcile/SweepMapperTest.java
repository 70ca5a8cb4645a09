package dev.dkssweep.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.sweep.control.SweepRequest;
import dev.dkssweep.sweep.document.SpecFixtures;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.lifecycle.EventReason;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One model: a Sweep resource's spec is the document local mode reads, field for field. */
class SweepMapperTest {

  static final Path EXAMPLES = Path.of("..", "..", "examples");

  static String resource(String spec) {
    return "apiVersion: dkssweep.dev/v1alpha1\nkind: Sweep\nmetadata:\n  name: full\n  namespace: research\nspec:\n"
        + spec.indent(2);
  }

  static List<String> documents() throws IOException {
    List<String> docs = new ArrayList<>(List.of(resource(SpecFixtures.FULL)));
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        docs.add(Files.readString(p));
      }
    }
    return docs;
  }

  @Test
  void everyExampleAndEveryFieldReachesTheSameDocumentAsLocalMode() throws IOException {
    List<String> docs = documents();
    assertThat(docs).hasSizeGreaterThanOrEqualTo(3);
    for (String yaml : docs) {
      Sweep sweep = Serialization.unmarshal(yaml, Sweep.class);
      assertThat(SweepMapper.document(sweep.getSpec()))
          .as(yaml)
          .isEqualTo(SweepDocuments.read(yaml, "x").spec());
    }
  }

  @Test
  void theRequestCarriesTheResourcesIdentityAndGeneration() {
    Sweep sweep = Serialization.unmarshal(resource(SpecFixtures.FULL), Sweep.class);
    sweep.getMetadata().setUid("uid-9");
    sweep.getMetadata().setGeneration(4L);
    SweepRequest r = SweepMapper.request(sweep);
    assertThat(r.uid()).isEqualTo("uid-9");
    assertThat(r.namespace()).isEqualTo("research");
    assertThat(r.name()).isEqualTo("full");
    assertThat(r.generation()).isEqualTo(4);
    assertThat(r.suspension()).isEmpty();
    assertThat(r.parallelism()).isEmpty();
  }

  @Test
  void suspendBecomesTheRequestsSuspension() {
    Sweep sweep =
        Serialization.unmarshal(resource(SpecFixtures.FULL + "suspend: true\n"), Sweep.class);
    sweep.getMetadata().setUid("uid-9");
    SweepRequest r = SweepMapper.request(sweep);
    assertThat(r.suspension()).isPresent();
    assertThat(r.suspension().get().reason()).isEqualTo(EventReason.SUSPENDED);
    assertThat(r.generation()).as("a resource without a generation yet").isEqualTo(1);
    assertThat(SweepMapper.document(sweep.getSpec()))
        .as("suspend is the resource's, not the document's")
        .isEqualTo(SweepDocuments.read(resource(SpecFixtures.FULL), "x").spec());
  }

  @Test
  void theOperatorsTrainerDefaultsFillWhatTheSweepLeavesOut() {
    var defaults =
        new dev.dkssweep.operator.execution.kubernetes.TrainerDefaults(
            java.util.Optional.of("registry.example/dks/trainer:0.1.0-cuda"),
            java.util.Optional.of("4"),
            java.util.Optional.of("8Gi"),
            java.util.OptionalInt.of(1));
    String bare =
        """
        objective: {metric: val_accuracy, goal: maximize}
        space: {method: [dks], activation: [tanh], depth: [4], learningRate: {values: [0.001]}}
        """;
    Sweep plain = Serialization.unmarshal(resource(bare), Sweep.class);
    var t = SweepMapper.document(plain.getSpec(), defaults).trainer();
    assertThat(t.image()).isEqualTo("registry.example/dks/trainer:0.1.0-cuda");
    assertThat(t.resources().cpu()).isEqualTo("4");
    assertThat(t.resources().memory()).isEqualTo("8Gi");
    assertThat(t.resources().gpu()).isEqualTo(1);
    Sweep own =
        Serialization.unmarshal(
            resource(
                bare
                    + "trainer: {image: ghcr.io/dks-sweep/trainer:cpu, resources: {gpu: 0,"
                    + " memory: 2Gi}}\n"),
            Sweep.class);
    var o = SweepMapper.document(own.getSpec(), defaults).trainer();
    assertThat(o.image())
        .as("the Sweep's own, field by field")
        .isEqualTo("ghcr.io/dks-sweep/trainer:cpu");
    assertThat(o.resources().gpu()).as("0 is a value: a CPU sweep on a GPU default").isZero();
    assertThat(o.resources().memory()).isEqualTo("2Gi");
    assertThat(o.resources().cpu()).isEqualTo("4");
    assertThat(SweepMapper.document(plain.getSpec()))
        .as("without defaults, the document local mode reads")
        .isEqualTo(SweepDocuments.read(resource(bare), "x").spec());
  }
}
