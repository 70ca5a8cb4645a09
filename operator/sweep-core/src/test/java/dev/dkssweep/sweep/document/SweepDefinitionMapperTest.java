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

  static final String FULL =
      """
      objective: {metric: val_loss, goal: minimize, reduce: min, target: 0.2}
      architecture: cnn
      space:
        method: [dks, tat]
        activation: [tanh, softplus]
        depth: [10, 50]
        width: [32, 64]
        learningRate: {logRange: {min: 0.0001, max: 0.01, count: 3}}
        dataset: [mnist]
        epochs: 4
        seeds: 3
        exclude: [{method: tat, depth: 50}, {learningRate: 0.01, width: 64}]
      methodParams: {dks: {zeta: 2.0, localQSlope: 1.1}, tat: {tau: 0.4, eta: 0.8}}
      baselines: [resnet-bn]
      strategy: {type: random, samples: 7, seed: 11, order: predicted-trainability}
      preflight: {skipInfeasible: false}
      parallelism: 3
      budget: {maxTrials: 20, maxFailedTrials: 2, deadline: 90m}
      earlyStopping: {rule: asha, gracePeriod: 1, reductionFactor: 2, minTrials: 2, stopOnNonFinite: false}
      retry: {maxRetries: 2}
      training:
        optimizer: sgd
        schedule: step
        batchSize: 64
        weightDecay: 0.0005
        validationFraction: 0.2
        trainLimit: 1000
        pln: false
        maxSteps: 500
        reportEverySteps: 10
        dataPath: /data
        dataUrl: http://mirror.example/{dataset}
        dataSha256: {train-images-idx3-ubyte.gz: abababababababababababababababababababababababababababababababab}
      trainer:
        image: registry.example/trainer:1
        args: [--engine, dl4j]
        threads: 2
        jvmOptions: [-Xmx2g]
        resources: {cpu: "2", memory: 4Gi, gpu: 1}
      """;

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
  }
}
