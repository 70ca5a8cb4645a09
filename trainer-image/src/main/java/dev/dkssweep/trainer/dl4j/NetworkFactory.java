package dev.dkssweep.trainer.dl4j;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.LeakyRelu;
import dev.dkssweep.dks.activation.StandardActivation;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.init.ScaledGaussian;
import dev.dkssweep.dks.init.WeightInitPlan;
import dev.dkssweep.sweep.protocol.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DL4J network of a trial: {@code depth} dense layers of {@code width} units with the
 * (transformed) activation, zero biases, and a softmax output layer. DKS/TAT and the orthogonal
 * baseline use scaled uniform orthogonal weights; the standard baseline uses LeCun (He for the ReLU
 * family) Gaussian weights and the untransformed activation.
 */
public final class NetworkFactory {

  private NetworkFactory() {}

  /** What to build. */
  public record MlpPlan(
      int inputs,
      int depth,
      int width,
      int classes,
      TransformedActivation transform,
      Method method,
      String weightInit,
      long seed,
      IUpdater updater,
      double weightDecay,
      DataType dataType) {}

  public static MultiLayerNetwork mlp(MlpPlan plan) {
    NeuralNetConfiguration.ListBuilder list = configuration(plan).list();
    DksActivation activation = new DksActivation(plan.transform());
    for (int l = 0; l < plan.depth(); l++) {
      list.layer(
          new DenseLayer.Builder()
              .nIn(l == 0 ? plan.inputs() : plan.width())
              .nOut(plan.width())
              .activation(activation)
              .weightInit(init(plan, l))
              .biasInit(0)
              .build());
    }
    list.layer(head(plan));
    MultiLayerConfiguration conf = list.build();
    conf.getConfs().forEach(c -> decayOnce(c.getLayer()));
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /**
   * A convolutional net on square single-channel images of side {@code imageSide}: {@code depth}
   * 3x3 convolutions (stride 1, same padding) of {@code width} channels with the activation,
   * Delta-orthogonal (or Gaussian) weights, zero biases, global average pooling, a softmax dense
   * head (docs/maths.md 3.1: the MLP kernel maps hold at every location).
   */
  public static MultiLayerNetwork cnn(MlpPlan plan, int imageSide) {
    NeuralNetConfiguration.ListBuilder list = configuration(plan).list();
    DksActivation activation = new DksActivation(plan.transform());
    for (int l = 0; l < plan.depth(); l++) {
      list.layer(
          new ConvolutionLayer.Builder(3, 3)
              .nIn(l == 0 ? 1 : plan.width())
              .nOut(plan.width())
              .stride(1, 1)
              .convolutionMode(ConvolutionMode.Same)
              .activation(activation)
              .weightInit(init(plan, l))
              .biasInit(0)
              .build());
    }
    list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
    list.layer(head(plan));
    list.setInputType(InputType.convolutionalFlat(imageSide, imageSide, 1));
    MultiLayerConfiguration conf = list.build();
    conf.getConfs().forEach(c -> decayOnce(c.getLayer()));
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /** The softmax classifier after the last activation layer, initialised like the others. */
  private static OutputLayer head(MlpPlan plan) {
    return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
        .nIn(plan.width())
        .nOut(plan.classes())
        .activation(Activation.SOFTMAX)
        .weightInit(init(plan, plan.depth()))
        .biasInit(0)
        .build();
  }

  /** Seed, data type, updater, weight decay and zero biases: shared by every network. */
  static NeuralNetConfiguration.Builder configuration(MlpPlan plan) {
    return new NeuralNetConfiguration.Builder()
        .seed(plan.seed())
        .dataType(plan.dataType())
        .updater(plan.updater())
        .weightDecay(plan.weightDecay())
        .biasInit(0);
  }

  /**
   * Removes the duplicate regularisation entries DL4J 1.0.0-M2.1 gives every layer when weight
   * decay is set on the global builder: each layer ends up with two identical {@code WeightDecay}
   * entries, so the decay applied (and the penalty in the score) is twice the configured one
   * (NetworkFactoryTest shows it). Keeps one of each.
   */
  static void decayOnce(org.deeplearning4j.nn.conf.layers.Layer layer) {
    if (layer instanceof BaseLayer b) {
      if (b.getRegularization() != null) {
        b.setRegularization(new ArrayList<>(new LinkedHashSet<>(b.getRegularization())));
      }
      if (b.getRegularizationBias() != null) {
        b.setRegularizationBias(new ArrayList<>(new LinkedHashSet<>(b.getRegularizationBias())));
      }
    }
  }

  /** The per-layer initialiser: the override, else the method's own. */
  static IWeightInit init(MlpPlan plan, int layer) {
    long seed = WeightInitPlan.layerSeed(plan.seed(), layer);
    String kind = plan.weightInit();
    if (kind == null) {
      kind = plan.method() == Method.STANDARD ? standardInit(plan.transform()) : "orthogonal";
    }
    return switch (kind) {
      case "orthogonal" -> PlannedWeightInit.suo(seed);
      case "he" -> PlannedWeightInit.gaussian(ScaledGaussian.HE, seed);
      default -> PlannedWeightInit.gaussian(ScaledGaussian.LECUN, seed);
    };
  }

  /** He for the ReLU family, LeCun otherwise. */
  static String standardInit(TransformedActivation t) {
    return t.base() == StandardActivation.RELU
            || t.base() instanceof LeakyRelu
            || t.base() == Activations.byName("elu")
        ? "he"
        : "lecun";
  }
}
