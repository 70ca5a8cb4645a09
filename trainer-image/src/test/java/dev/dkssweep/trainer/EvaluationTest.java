package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dkssweep.trainer.data.Examples;
import dev.dkssweep.trainer.dl4j.TrainableNet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-epoch evaluation: a network whose outputs are NaN diverged (a resnet-bn at depth 100 did
 * this in the paper-table run, its training loss still finite); DL4J's evaluation would throw and
 * the trial would fail and be retried instead.
 */
class EvaluationTest {

  /** Three examples of two classes, two features each. */
  static final Examples EXAMPLES =
      new Examples(new float[] {1, 0, 0, 1, 1, 1}, new int[] {0, 1, 0}, 2, 2);

  /** A network that answers {@code outputs} whatever it is shown, with a finite loss. */
  static TrainableNet answering(float[][] outputs) {
    return new TrainableNet() {
      @Override
      public void fit(DataSet batch) {}

      @Override
      public double score() {
        return 0.5;
      }

      @Override
      public double score(DataSet data) {
        return 0.5;
      }

      @Override
      public INDArray output(INDArray features) {
        return Nd4j.create(outputs);
      }

      @Override
      public double learningRate() {
        return 0.001;
      }

      @Override
      public List<INDArray> activationOutputs(INDArray features) {
        return List.of();
      }
    };
  }

  @Test
  void finiteOutputsGiveTheLossAndTheAccuracy() {
    double[] r =
        Training.lossAndAccuracy(
            answering(new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.3f, 0.7f}}),
            EXAMPLES,
            "validation set");
    assertThat(r[0]).isEqualTo(0.5);
    assertThat(r[1]).as("two of three right").isEqualTo(2.0 / 3);
  }

  @Test
  void aNanOrInfiniteOutputIsDivergenceNamingTheSet() {
    assertThatThrownBy(
            () ->
                Training.lossAndAccuracy(
                    answering(new float[][] {{0.9f, 0.1f}, {Float.NaN, Float.NaN}, {0.3f, 0.7f}}),
                    EXAMPLES,
                    "validation set"))
        .isInstanceOf(Training.NonFinitePredictions.class)
        .hasMessage("validation set");
    assertThatThrownBy(
            () ->
                Training.lossAndAccuracy(
                    answering(
                        new float[][] {{0.9f, 0.1f}, {Float.POSITIVE_INFINITY, 0}, {0.3f, 0.7f}}),
                    EXAMPLES,
                    "training examples"))
        .isInstanceOf(Training.NonFinitePredictions.class);
  }
}
