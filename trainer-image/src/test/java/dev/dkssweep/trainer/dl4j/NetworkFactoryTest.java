package dev.dkssweep.trainer.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.sweep.protocol.Method;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;

class NetworkFactoryTest {

  static MultiLayerNetwork net(Method method, String init, long seed) {
    return NetworkFactory.mlp(
        new NetworkFactory.MlpPlan(
            20,
            3,
            30,
            10,
            TransformedActivation.identity(Activations.byName("tanh")),
            method,
            init,
            seed,
            new Sgd(0.1),
            0,
            DataType.DOUBLE));
  }

  @Test
  void orthogonalLayersAreScaledUniformOrthogonal() {
    MultiLayerNetwork n = net(Method.DKS, null, 5);
    // layer 0: [20, 30], fanOut > fanIn: M = W^T has orthonormal columns x sqrt(30/20)
    INDArray w0 = n.getLayer(0).getParam("W");
    INDArray gram = w0.mmul(w0.transpose());
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 20; j++) {
        assertThat(gram.getDouble(i, j)).isCloseTo(i == j ? 1.5 : 0, within(1e-10));
      }
    }
    // layer 1: [30, 30] square orthogonal; biases zero
    INDArray w1 = n.getLayer(1).getParam("W");
    INDArray g1 = w1.transpose().mmul(w1);
    assertThat(g1.getDouble(3, 3)).isCloseTo(1, within(1e-10));
    assertThat(g1.getDouble(3, 4)).isCloseTo(0, within(1e-10));
    assertThat(n.getLayer(1).getParam("b").sumNumber().doubleValue()).isZero();
  }

  @Test
  void initialisationIsSeededPerLayer() {
    MultiLayerNetwork a = net(Method.DKS, null, 5);
    MultiLayerNetwork b = net(Method.DKS, null, 5);
    MultiLayerNetwork c = net(Method.DKS, null, 6);
    assertThat(a.params().equalsWithEps(b.params(), 0)).isTrue();
    assertThat(a.params().equalsWithEps(c.params(), 1e-6)).isFalse();
    assertThat(a.getLayer(1).getParam("W").equalsWithEps(a.getLayer(2).getParam("W"), 1e-6))
        .isFalse();
  }

  @Test
  void convolutionsAreDeltaOrthogonal() {
    MultiLayerNetwork n =
        NetworkFactory.cnn(
            new NetworkFactory.MlpPlan(
                64,
                2,
                6,
                10,
                TransformedActivation.identity(Activations.byName("tanh")),
                Method.DKS,
                null,
                4,
                new Sgd(0.1),
                0,
                DataType.DOUBLE),
            8);
    INDArray w = n.getLayer(1).getParam("W"); // [nOut 6, nIn 6, 3, 3]
    assertThat(w.shape()).containsExactly(6, 6, 3, 3);
    INDArray centre =
        w.get(
            org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.all(),
            org.nd4j.linalg.indexing.NDArrayIndex.point(1),
            org.nd4j.linalg.indexing.NDArrayIndex.point(1));
    INDArray gram = centre.mmul(centre.transpose());
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        assertThat(gram.getDouble(i, j)).isCloseTo(i == j ? 1 : 0, within(1e-10));
      }
    }
    double all = w.mul(w).sumNumber().doubleValue();
    assertThat(all).as("no weight off the centre tap").isCloseTo(6, within(1e-10));
  }

  @Test
  void standardBaselineUsesLeCunGaussians() {
    MultiLayerNetwork n = net(Method.STANDARD, null, 9);
    INDArray w = n.getLayer(1).getParam("W");
    double variance = w.mul(w).meanNumber().doubleValue();
    // 900 samples of N(0, 1/30): the sample variance is within 20% with overwhelming probability
    assertThat(variance).isCloseTo(1.0 / 30, within(0.2 / 30));
    assertThat(
            NetworkFactory.standardInit(TransformedActivation.identity(Activations.byName("relu"))))
        .isEqualTo("he");
  }

  /**
   * DL4J 1.0.0-M2.1 registers a globally configured weight decay twice on every layer; the
   * factories keep one, so one SGD step decays each weight by exactly lr * coeff * w.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mlp", "resnet-bn"})
  void weightDecayIsAppliedOnce(String architecture) {
    double lr = 0.1;
    double coeff = 0.1;
    INDArray[] after = new INDArray[2];
    INDArray before = null;
    for (int k = 0; k < 2; k++) {
      NetworkFactory.MlpPlan plan =
          new NetworkFactory.MlpPlan(
              12,
              3,
              16,
              5,
              TransformedActivation.identity(Activations.byName("tanh")),
              Method.STANDARD,
              null,
              7,
              new Sgd(lr),
              k == 0 ? 0 : coeff,
              DataType.DOUBLE);
      org.deeplearning4j.nn.api.Model net =
          architecture.equals("mlp") ? NetworkFactory.mlp(plan) : ResNetBnFactory.build(plan);
      INDArray x = Nd4j.linspace(DataType.DOUBLE, -1, 0.02, 96).reshape(8, 12);
      INDArray y = Nd4j.zeros(DataType.DOUBLE, 8, 5);
      for (int i = 0; i < 8; i++) {
        y.putScalar(i, i % 5, 1);
      }
      before = net.params().dup();
      if (net instanceof MultiLayerNetwork m) {
        m.fit(new DataSet(x, y));
      } else {
        ((org.deeplearning4j.nn.graph.ComputationGraph) net).fit(new DataSet(x, y));
      }
      after[k] = net.params().dup();
    }
    // the first layer's weights lead the flattened parameters: W [12 x 16] = 192 values
    INDArray w0 = before.get(NDArrayIndex.interval(0, 192));
    INDArray decayed =
        after[0]
            .get(NDArrayIndex.interval(0, 192))
            .sub(after[1].get(NDArrayIndex.interval(0, 192)));
    assertThat(decayed.sub(w0.mul(lr * coeff)).amaxNumber().doubleValue())
        .as("(w without decay - w with decay) - lr coeff w")
        .isLessThan(1e-12);
  }

  @Test
  void theConvolutionalResnetBaselineHasTheDepthOfThePlainCnn() {
    NetworkFactory.MlpPlan plan =
        new NetworkFactory.MlpPlan(
            64,
            6,
            4,
            10,
            TransformedActivation.identity(Activations.byName("relu")),
            Method.STANDARD,
            null,
            3,
            new Sgd(0.1),
            0,
            DataType.FLOAT);
    org.deeplearning4j.nn.graph.ComputationGraph g = ResNetBnFactory.build(plan, 8);
    long convolutions =
        java.util.Arrays.stream(g.getLayers())
            .filter(l -> l instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer)
            .count();
    long activations =
        java.util.Arrays.stream(g.getLayers())
            .filter(
                l ->
                    l instanceof org.deeplearning4j.nn.layers.ActivationLayer
                        && ((org.deeplearning4j.nn.conf.layers.ActivationLayer) l.conf().getLayer())
                                .getActivationFn()
                            instanceof DksActivation)
            .count();
    assertThat(convolutions).isEqualTo(6);
    assertThat(activations).as("activation layers, as the plain CNN's depth").isEqualTo(6);
    INDArray out = g.outputSingle(false, Nd4j.rand(DataType.FLOAT, 5, 64));
    assertThat(out.shape()).containsExactly(5, 10);
    assertThat(out.sum(1).getDouble(0)).isCloseTo(1, within(1e-5));
  }
}
