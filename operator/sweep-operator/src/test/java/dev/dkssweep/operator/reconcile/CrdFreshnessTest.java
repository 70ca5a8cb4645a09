package dev.dkssweep.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.dkssweep.operator.api.v1alpha1.SweepSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CrdFreshnessTest {

  /**
   * The CRD the chart ships (the build generates it at package time, after the unit tests; the helm
   * module's CrdDriftTest keeps the copy equal to the generated one).
   */
  static JsonNode specSchema() throws Exception {
    JsonNode crd =
        new YAMLMapper()
            .readTree(
                Path.of("..", "..", "helm", "dks-sweep", "crds", "sweeps.dkssweep.dev-v1.yml")
                    .toFile());
    return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  }

  @Test
  void theGeneratedCrdKnowsEveryFieldOfTheOperator() throws Exception {
    assertThat(CrdFreshness.missing(SweepSpec.class, "spec", specSchema())).isEmpty();
  }

  @Test
  void anOlderCrdMissesTheFieldsAddedSinceWithTheirPaths() throws Exception {
    JsonNode older = specSchema().deepCopy();
    ObjectNode trainer = (ObjectNode) older.at("/properties/trainer/properties");
    trainer.remove("tolerations");
    trainer.remove("cleanup");
    ((ObjectNode) older.at("/properties/space/properties/learningRate/properties"))
        .remove("logRange");
    assertThat(CrdFreshness.missing(SweepSpec.class, "spec", older))
        .containsExactlyInAnyOrder(
            "spec.trainer.tolerations", "spec.trainer.cleanup", "spec.space.learningRate.logRange");
  }
}
