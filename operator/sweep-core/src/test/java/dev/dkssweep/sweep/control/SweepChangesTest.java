package dev.dkssweep.sweep.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.SpecViolation;
import org.junit.jupiter.api.Test;

/** What a running sweep's next generation may change. */
class SweepChangesTest {

  static final String BASE =
      """
      objective: {metric: val_accuracy, goal: maximize}
      space:
        method: [dks, standard]
        activation: [tanh]
        depth: [4, 8]
        learningRate: [0.01]
        seeds: 2
      parallelism: 2
      """;

  static SweepDefinition d(String yaml) {
    return SweepDocuments.read(yaml, "t").definition();
  }

  static java.util.List<String> fields(String next) {
    return SweepChanges.check(d(BASE), d(next)).stream().map(SpecViolation::field).toList();
  }

  @Test
  void axesSeedsAndHowItRunsMayChange() {
    assertThat(fields(BASE)).isEmpty();
    assertThat(fields(BASE.replace("depth: [4, 8]", "depth: [4, 8, 16]"))).isEmpty();
    assertThat(fields(BASE.replace("activation: [tanh]", "activation: [tanh, softplus]")))
        .isEmpty();
    assertThat(fields(BASE.replace("seeds: 2", "seeds: 3"))).isEmpty();
    assertThat(
            fields(
                BASE.replace("parallelism: 2", "parallelism: 8")
                    + "budget: {maxTrials: 5, deadline: 2h}\n"
                    + "earlyStopping: {rule: median}\nretry: {maxRetries: 3}\n"
                    + "strategy: {order: predicted-trainability}\n"))
        .isEmpty();
  }

  @Test
  void whatTheResultsMeanMayNot() {
    assertThat(
            fields(
                BASE.replace(
                    "metric: val_accuracy, goal: maximize", "metric: val_loss, goal: minimize")))
        .containsExactly("objective");
    assertThat(fields(BASE + "architecture: cnn\n")).contains("architecture");
    assertThat(fields(BASE + "methodParams: {dks: {zeta: 2}}\n")).containsExactly("methodParams");
    assertThat(fields(BASE + "training: {batchSize: 64}\n")).containsExactly("training");
    assertThat(fields(BASE.replace("seeds: 2", "seeds: 2\n  epochs: 9")))
        .containsExactly("space.epochs");
    assertThat(fields(BASE.replace("seeds: 2", "seeds: 1"))).containsExactly("space.seeds");
  }

  @Test
  void noRecordedCellMayLeaveTheSpace() {
    assertThat(fields(BASE.replace("depth: [4, 8]", "depth: [4]"))).containsExactly("space");
    assertThat(SweepChanges.check(d(BASE), d(BASE.replace("depth: [4, 8]", "depth: [4]"))))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("leaves out 2 cells").contains("d8"));
    assertThat(
            fields(BASE.replace("seeds: 2", "seeds: 2\n  exclude: [{method: standard, depth: 8}]")))
        .containsExactly("space");
  }
}
