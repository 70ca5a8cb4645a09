package dev.dkssweep.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart's CRD is the one the build generates from the API classes (sweep-operator builds before
 * this module): after changing them, copy {@code
 * operator/sweep-operator/target/kubernetes/sweeps.dkssweep.dev-v1.yml} to {@code
 * helm/dks-sweep/crds/}.
 */
class CrdDriftTest {

  static final String FILE = "sweeps.dkssweep.dev-v1.yml";
  static final Path GENERATED =
      Path.of("..", "operator", "sweep-operator", "target", "kubernetes", FILE);
  static final Path CHART = Path.of("dks-sweep", "crds", FILE);

  @Test
  void theChartsCrdIsTheGeneratedOne() throws IOException {
    assertThat(GENERATED)
        .as("the generated CRD (build operator/sweep-operator first)")
        .isRegularFile();
    assertThat(Files.readString(CHART))
        .as(
            "helm/dks-sweep/crds/%s drifted from the generated CRD; copy %s over it",
            FILE, GENERATED)
        .isEqualTo(Files.readString(GENERATED));
  }
}
