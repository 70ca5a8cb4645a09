package dev.dkssweep.trainer.dl4j;

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
import java.io.File;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

class DksActivationTest {

  private static final Shaper SHAPER = new Shaper(GaussianQuadrature.accurate());
  private static DataType savedDefault;

  /** GradientCheckUtil insists on double as ND4J's global default. */
  @BeforeAll
  static void doublePrecision() {
    savedDefault = Nd4j.dataType();
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
  }

  @AfterAll
  static void restorePrecision() {
    Nd4j.setDefaultDataTypes(savedDefault, savedDefault);
  }

  static TransformedActivation shaped(String activation, ShapingMethod method, int depth) {
    return SHAPER
        .shape(
            ShapingRequest.of(Activations.byName(activation), method, Architectures.plain(depth)))
        .single()
        .transform();
  }

  static Stream<Arguments> transforms() {
    return Stream.of(
        Arguments.of("tanh dks", shaped("tanh", ShapingMethod.Dks.defaults(), 3)),
        Arguments.of("softplus dks", shaped("softplus", ShapingMethod.Dks.defaults(), 3)),
        Arguments.of("gelu tat", shaped("gelu", ShapingMethod.Tat.defaults(), 3)),
        Arguments.of("swish tat", shaped("swish", ShapingMethod.Tat.defaults(), 3)),
        Arguments.of(
            "leaky_relu tat", shaped("leaky_relu", new ShapingMethod.Tat(0.3, 0.5, false), 3)),
        Arguments.of("elu dks", shaped("elu", ShapingMethod.Dks.defaults(), 3)),
        Arguments.of("sigmoid raw", TransformedActivation.identity(Activations.byName("sigmoid"))));
  }

  static MultiLayerNetwork smallDoubleNet(TransformedActivation t, long seed) {
    return NetworkFactory.mlp(
        new NetworkFactory.MlpPlan(
            4, 3, 5, 3, t, Method.DKS, null, seed, new NoOp(), 0, DataType.DOUBLE));
  }

  /** DL4J's own finite-difference check of every parameter gradient, in double precision. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("transforms")
  void backpropMatchesFiniteDifferences(String name, TransformedActivation t) {
    MultiLayerNetwork net = smallDoubleNet(t, 11);
    INDArray input = Nd4j.rand(DataType.DOUBLE, 6, 4).subi(0.5).muli(2);
    INDArray labels = oneHot(6, 3);
    boolean ok =
        GradientCheckUtil.checkGradients(
            new GradientCheckUtil.MLNConfig()
                .net(net)
                .input(input)
                .labels(labels)
                .epsilon(1e-6)
                .maxRelError(1e-5)
                .minAbsoluteError(1e-9));
    assertThat(ok).as("gradient check for %s", name).isTrue();
  }

  static Stream<Arguments> fastPaths() {
    return Stream.of(
        Arguments.of("tanh", shaped("tanh", ShapingMethod.Dks.defaults(), 5)),
        Arguments.of("sigmoid", shaped("sigmoid", ShapingMethod.Dks.defaults(), 5)),
        Arguments.of("softplus", shaped("softplus", ShapingMethod.Tat.defaults(), 5)),
        Arguments.of("relu", shaped("relu", ShapingMethod.Dks.defaults(), 5)),
        Arguments.of("leaky_relu", shaped("leaky_relu", ShapingMethod.Tat.defaults(), 20)));
  }

  /** The ND4J fast paths compute the same values and gradients as dks-core's functions. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fastPaths")
  void fastPathsAgreeWithTheExactHostPath(String name, TransformedActivation t) {
    DksActivation fast = new DksActivation(t);
    DksActivation host = fast.hostOnly();
    for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
      double tolerance = type == DataType.DOUBLE ? 1e-12 : 2e-6;
      INDArray x = Nd4j.rand(type, 7, 9).subi(0.5).muli(12);
      INDArray eps = Nd4j.rand(type, 7, 9).subi(0.5);
      INDArray yFast = fast.getActivation(x.dup(), false);
      INDArray yHost = host.getActivation(x.dup(), false);
      INDArray gFast = fast.backprop(x.dup(), eps.dup()).getFirst();
      INDArray gHost = host.backprop(x.dup(), eps.dup()).getFirst();
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 9; j++) {
          double yh = yHost.getDouble(i, j);
          double gh = gHost.getDouble(i, j);
          assertThat(yFast.getDouble(i, j)).isCloseTo(yh, within(tolerance * (1 + Math.abs(yh))));
          assertThat(gFast.getDouble(i, j)).isCloseTo(gh, within(tolerance * (1 + Math.abs(gh))));
        }
      }
    }
  }

  @Test
  void convolutionalBackpropMatchesFiniteDifferences() {
    TransformedActivation t = shaped("softplus", ShapingMethod.Dks.defaults(), 2);
    MultiLayerNetwork net =
        NetworkFactory.cnn(
            new NetworkFactory.MlpPlan(
                25, 2, 3, 3, t, Method.DKS, null, 5, new NoOp(), 0, DataType.DOUBLE),
            5);
    INDArray input = Nd4j.rand(DataType.DOUBLE, 4, 25).subi(0.5);
    INDArray labels = oneHot(4, 3);
    assertThat(
            GradientCheckUtil.checkGradients(
                new GradientCheckUtil.MLNConfig()
                    .net(net)
                    .input(input)
                    .labels(labels)
                    .epsilon(1e-6)
                    .maxRelError(1e-5)
                    .minAbsoluteError(1e-9)))
        .isTrue();
  }

  /** Rows labelled 0, 1, 2, 0, ... as one-hot vectors. */
  static INDArray oneHot(int rows, int classes) {
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, rows, classes);
    for (int i = 0; i < rows; i++) {
      labels.putScalar(i, i % classes, 1);
    }
    return labels;
  }

  @Test
  void forwardPassIsTheTransformedActivation() {
    TransformedActivation t = shaped("tanh", ShapingMethod.Dks.defaults(), 10);
    INDArray x = Nd4j.create(new double[] {-2, -0.3, 0, 0.7, 3}, new long[] {1, 5});
    INDArray y = new DksActivation(t).getActivation(x.dup(), false);
    for (int i = 0; i < 5; i++) {
      assertThat(y.getDouble(0, i)).isCloseTo(t.value(x.getDouble(0, i)), within(1e-12));
    }
  }

  @Test
  void survivesModelSerializer(@TempDir Path dir) throws Exception {
    TransformedActivation t = shaped("leaky_relu", new ShapingMethod.Tat(0.3, 0.5, false), 3);
    MultiLayerNetwork net = smallDoubleNet(t, 3);
    File file = dir.resolve("net.zip").toFile();
    ModelSerializer.writeModel(net, file, false);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, false);
    INDArray input = Nd4j.rand(DataType.DOUBLE, 3, 4);
    assertThat(restored.output(input).equalsWithEps(net.output(input), 1e-12)).isTrue();
    DksActivation a =
        (DksActivation)
            ((org.deeplearning4j.nn.conf.layers.BaseLayer) restored.getLayer(0).conf().getLayer())
                .getActivationFn();
    assertThat(a.transform().negativeSlope()).isEqualTo(t.negativeSlope());
    assertThat(a.transform().gamma()).isEqualTo(t.gamma());
  }
}
