package dev.dkssweep.sweep.document;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.model.SweepDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The document and the definition: resolving fills every default once, and the document a
 * definition writes back (what the store keeps) resolves to the same definition.
 */
class SweepDefinitionMapperTest {

  static final String FULL = SpecFixtures.FULL;

  static Stream<String> documents() throws IOException {
    Path examples = SweepDocumentsTest.examples();
    List<String> files = new java.util.ArrayList<>(List.of(SweepDocumentsTest.MINIMAL, FULL));
    try (Stream<Path> s = Files.list(examples)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        files.add(Files.readString(p));
      }
    }
    return files.stream();
  }

  @Test
  void everyDocumentRoundTripsThroughTheStoredForm() throws IOException {
    for (String yaml : documents().toList()) {
      SweepDefinition d = SweepDocuments.read(yaml, "t").definition();
      SweepSpec stored = SweepDefinitionMapper.toDocument(d);
      assertThat(SweepValidator.validate(stored)).as(yaml).isEmpty();
      assertThat(stored.definition()).as(yaml).isEqualTo(d);
      assertThat(SweepDocuments.definitionFromJson(SweepDocuments.toJson(d))).isEqualTo(d);
    }
  }

  @Test
  void everyFieldReachesTheDefinition() {
    SweepDefinition d = SweepDocuments.read(FULL, "t").definition();
    assertThat(d.objective().target()).hasValue(0.2);
    assertThat(d.space().learningRates().values()).containsExactly(0.0001, 0.001, 0.01);
    assertThat(d.space().exclusions()).hasSize(2);
    assertThat(d.space().exclusions().get(0).arm()).hasValue("tat");
    assertThat(d.space().exclusions().get(0).depth()).hasValue(50);
    assertThat(d.methodParams().zeta()).isEqualTo(2.0);
    assertThat(d.methodParams().eta()).isEqualTo(0.8);
    assertThat(d.strategy().samples()).hasValue(7);
    assertThat(d.skipInfeasible()).isFalse();
    assertThat(d.budget().deadline()).hasValue(Duration.ofMinutes(90));
    assertThat(d.earlyStopping().stopOnNonFinite()).isFalse();
    assertThat(d.maxRetries()).isEqualTo(2);
    assertThat(d.training().trainLimit()).hasValue(1000);
    assertThat(d.training().maxSteps()).hasValue(500);
    assertThat(d.training().dataUrl()).hasValue("http://mirror.example/{dataset}");
    assertThat(d.training().dataSha256()).hasSize(1);
    assertThat(d.trainer().threads()).hasValue(2);
    assertThat(d.trainer().resources().gpu()).hasValue(1);
    assertThat(d.trainer().resources().memory()).hasValue("4Gi");
    assertThat(d.trainer().env())
        .containsExactly(
            new SweepDefinition.EnvVar("WANDB_MODE", "offline"),
            new SweepDefinition.EnvVar("EMPTY", ""));
    SweepDefinition.Placement p = d.trainer().placement();
    assertThat(p.queueName()).hasValue("gpu-team");
    assertThat(p.nodeSelector()).containsEntry("nvidia.com/gpu.product", "A100-SXM4-40GB");
    assertThat(p.tolerations())
        .containsExactly(
            new SweepDefinition.Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule", null),
            new SweepDefinition.Toleration("spot", "Equal", "true", "NoExecute", 300L));
    assertThat(p.affinity()).containsOnlyKeys("nodeAffinity");
    assertThat(p.priorityClassName()).hasValue("research-low");
    assertThat(p.runtimeClassName()).hasValue("nvidia");
    assertThat(p.imagePullSecrets()).containsExactly("regcred");
    assertThat(d.trainer().keepFailed()).isTrue();
    assertThat(d.arms()).containsExactly("dks", "tat", "resnet-bn");
  }

  @Test
  void theDefaultsAreFilledInOnce() {
    SweepDefinition d = SweepDocuments.read(SweepDocumentsTest.MINIMAL, "t").definition();
    assertThat(d.space().epochs()).isEqualTo(Defaults.EPOCHS);
    assertThat(d.space().datasets()).isEqualTo(Defaults.DATASET);
    assertThat(d.training().batchSize()).isEqualTo(Defaults.BATCH_SIZE);
    assertThat(d.trainer().image()).isEqualTo(Defaults.IMAGE);
    assertThat(d.trainer().jvmOptions()).isEqualTo(Defaults.JVM_OPTIONS);
    assertThat(d.budget().maxTrials()).isEmpty();
    assertThat(d.budget().deadline()).isEmpty();
    assertThat(d.objective().target()).isEmpty();
    assertThat(d.trainer().resources()).isEqualTo(SweepDefinition.Resources.NONE);
    assertThat(d.trainer().env()).isEmpty();
    assertThat(d.trainer().placement()).isEqualTo(SweepDefinition.Placement.NONE);
    assertThat(d.trainer().keepFailed()).isFalse();
  }
}
