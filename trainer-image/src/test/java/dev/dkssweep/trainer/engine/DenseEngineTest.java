package dev.dkssweep.trainer.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.shaping.Shaper;
import dev.dkssweep.dks.shaping.ShapingMethod;
import dev.dkssweep.dks.shaping.ShapingRequest;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import dev.dkssweep.trainer.dl4j.NetworkFactory;
import dev.dkssweep.trainer.dl4j.Schedules;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The dense engine against DL4J itself: from the same initialised network, both compute the same
 * activations, outputs and losses, and take the same optimiser steps (every optimiser, schedule,
 * weight decay, every kind of activation kernel), to float precision.
 */
class DenseEngineTest {

  private static final int INPUTS = 12;
  private static final int DEPTH = 4;
  private static final int WIDTH = 16;
  private static final int CLASSES = 5;
  private static final long STEPS = 8;

  @BeforeAll
  static void engineRunsHere() {
    // the tests run with the CPU backend (profile cpu): a missing engine is a failure, not a skip
    assertThat(DenseEngine.available()).as("ND4J's CPU backend and its OpenBLAS").isTrue();
  }

  static TransformedActivation shaped(String activation, ShapingMethod method) {
    return new Shaper(GaussianQuadrature.accurate())
        .shape(ShapingRequest.of(Activations.byName(activation), method, Architectures.plain(20)))
        .single()
        .transform();
  }

  static Stream<Arguments> activations() {
    return Stream.of(
        Arguments.of("tanh", shaped("tanh", ShapingMethod.Dks.defaults())),
        Arguments.of("sigmoid", shaped("sigmoid", ShapingMethod.Dks.defaults())),
        Arguments.of("softplus", shaped("softplus", ShapingMethod.Dks.defaults())),
        Arguments.of("leaky_relu", shaped("leaky_relu", ShapingMethod.Tat.defaults())),
        Arguments.of("relu", TransformedActivation.identity(Activations.byName("relu"))),
        Arguments.of("elu", shaped("elu", ShapingMethod.Dks.defaults())),
        Arguments.of("gelu", shaped("gelu", ShapingMethod.Dks.defaults())));
  }

  private static MultiLayerNetwork network(
      TransformedActivation t, Optimizer optimizer, Schedule schedule, double lr, double wd) {
    return NetworkFactory.mlp(
        new NetworkFactory.MlpPlan(
            INPUTS,
            DEPTH,
            WIDTH,
            CLASSES,
            t,
            Method.DKS,
            null,
            7,
            Schedules.updater(optimizer, lr, schedule, STEPS),
            wd,
            DataType.FLOAT));
  }

  private static DataSet batch(int rows, long seed) {
    Random r = new Random(seed);
    float[] x = new float[rows * INPUTS];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    INDArray y = Nd4j.zeros(DataType.FLOAT, rows, CLASSES);
    for (int i = 0; i < rows; i++) {
      y.putScalar(i, r.nextInt(CLASSES), 1);
    }
    return new DataSet(Nd4j.create(x, new long[] {rows, INPUTS}, 'c'), y);
  }

  private static DenseEngine engine(
      MultiLayerNetwork net,
      TransformedActivation t,
      Optimizer optimizer,
      Schedule schedule,
      double lr,
      double wd) {
    return DenseEngine.of(net, DEPTH, t, Schedules.updater(optimizer, lr, schedule, STEPS), wd);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void activationsOutputsAndLossMatchDl4j(String name, TransformedActivation t) {
    MultiLayerNetwork net = network(t, Optimizer.ADAM, Schedule.CONSTANT, 1e-3, 0);
    DenseEngine engine = engine(net, t, Optimizer.ADAM, Schedule.CONSTANT, 1e-3, 0);
    DataSet data = batch(33, 1);
    List<INDArray> expected = net.feedForward(data.getFeatures(), false).subList(1, DEPTH + 1);
    List<INDArray> actual = engine.activationOutputs(data.getFeatures());
    assertThat(actual).hasSize(DEPTH);
    for (int l = 0; l < DEPTH; l++) {
      assertClose(actual.get(l), expected.get(l), 2e-5, name + " layer " + l);
    }
    assertClose(
        engine.output(data.getFeatures()), net.output(data.getFeatures(), false), 2e-6, name);
    assertThat(engine.score(data)).isCloseTo(net.score(data, false), within(2e-5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void adamStepsMatchDl4j(String name, TransformedActivation t) {
    assertSameTraining(t, Optimizer.ADAM, Schedule.CONSTANT, 1e-2, 0);
  }

  @Test
  void momentumWithCosineScheduleAndWeightDecayMatchesDl4j() {
    assertSameTraining(
        shaped("tanh", ShapingMethod.Dks.defaults()),
        Optimizer.MOMENTUM,
        Schedule.COSINE,
        5e-2,
        1e-3);
  }

  @Test
  void sgdWithStepScheduleMatchesDl4j() {
    assertSameTraining(
        shaped("softplus", ShapingMethod.Dks.defaults()), Optimizer.SGD, Schedule.STEP, 0.2, 0);
  }

  @Test
  void adamWithWeightDecayMatchesDl4j() {
    assertSameTraining(
        shaped("leaky_relu", ShapingMethod.Tat.defaults()),
        Optimizer.ADAM,
        Schedule.COSINE,
        1e-2,
        1e-2);
  }

  /** Same losses at every step and the same parameters after {@link #STEPS} steps. */
  private static void assertSameTraining(
      TransformedActivation t, Optimizer optimizer, Schedule schedule, double lr, double wd) {
    MultiLayerNetwork reference = network(t, optimizer, schedule, lr, wd);
    MultiLayerNetwork start = network(t, optimizer, schedule, lr, wd);
    DenseEngine engine = engine(start, t, optimizer, schedule, lr, wd);
    for (int step = 0; step < STEPS; step++) {
      DataSet data = batch(step % 2 == 0 ? 32 : 20, 100 + step);
      assertThat(engine.learningRate())
          .as("learning rate before step %d", step)
          .isCloseTo(reference.getLearningRate(0), within(1e-12));
      reference.fit(data);
      engine.fit(data);
      double expected = reference.score();
      assertThat(engine.score())
          .as("loss at step %d", step)
          .isCloseTo(expected, within(1e-4 * Math.max(1, expected)));
    }
    assertThat(engine.iterations()).isEqualTo(STEPS);
    MultiLayerNetwork trained = network(t, optimizer, schedule, lr, wd);
    engine.copyTo(trained);
    assertClose(trained.params(), reference.params(), 1e-4, "parameters after training");
    DataSet probe = batch(16, 999);
    assertThat(engine.score(probe)).isCloseTo(reference.score(probe, false), within(1e-4));
  }

  private static void assertClose(INDArray actual, INDArray expected, double tol, String what) {
    assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
    double diff =
        actual
            .castTo(DataType.DOUBLE)
            .sub(expected.castTo(DataType.DOUBLE))
            .amaxNumber()
            .doubleValue();
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    assertThat(diff).as(what + ": max |difference|").isLessThanOrEqualTo(tol * scale);
  }
}
