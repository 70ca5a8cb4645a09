package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The termination message stays under Kubernetes' 4 KiB and is always a readable summary. */
class TerminationMessageTest {

  static TrialSummary summary(int layers, String error) {
    List<TrialSummary.LayerKernel> kernels = new ArrayList<>();
    for (int i = 1; i <= layers; i++) {
      kernels.add(new TrialSummary.LayerKernel(i, 1.0123456789, 1.0, 0.5123456789, 0.51));
    }
    return new TrialSummary(
        "uid-3",
        2,
        TrialStatus.FAILED,
        Map.of("val_accuracy", 0.5, "val_loss", 1.2),
        Map.of("val_accuracy", 0.6, "val_loss", 1.1),
        100,
        12.5,
        800,
        null,
        new TrialSummary.InitCheck(0.1, kernels, 0.02, 0.03),
        error,
        0,
        "dense");
  }

  @Test
  void aSmallSummaryIsWrittenWhole() {
    TrialSummary s = summary(3, "boom");
    assertThat(TrainerMain.terminationMessage(s, 4000)).isEqualTo(ProtocolJson.write(s));
  }

  @Test
  void perLayerDetailsGoFirstThenTheErrorIsShortened() {
    TrialSummary deep = summary(100, "boom");
    String json = TrainerMain.terminationMessage(deep, 4000);
    assertThat(json.length()).isLessThanOrEqualTo(4000);
    TrialSummary read = ProtocolJson.read(json, TrialSummary.class);
    assertThat(read.initCheck().layers()).isEmpty();
    assertThat(read.initCheck().maxCDeviation()).isEqualTo(0.03);
    assertThat(read.finalMetrics()).containsEntry("val_accuracy", 0.5);
    assertThat(read.errorMessage()).isEqualTo("boom");

    TrialSummary trace = summary(100, "java.lang.IllegalStateException: x\n".repeat(500));
    json = TrainerMain.terminationMessage(trace, 4000);
    assertThat(json.length()).isLessThanOrEqualTo(4000);
    read = ProtocolJson.read(json, TrialSummary.class);
    assertThat(read.errorMessage())
        .startsWith("java.lang.IllegalStateException: x")
        .endsWith("...");
    assertThat(read.status()).isEqualTo(TrialStatus.FAILED);
    assertThat(read.finalMetrics()).containsEntry("val_loss", 1.2);
    assertThat(read.engine()).as("kept while shrinking").isEqualTo("dense");
  }
}
