package dev.dkssweep.trainer.dl4j;

import dev.dkssweep.dks.init.ScaledGaussian;
import dev.dkssweep.dks.init.WeightInitPlan;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The resnet-bn baseline: the conventional way to train a deep network, with skip connections and
 * batch norm, standard (LeCun/He) initialisation, the raw activation, and the same number of
 * activation layers and width as the shaped network it is compared with:
 *
 * <pre>
 *   stem:   dense -> BN -> act                                   (1 activation)
 *   block:  x + BN(dense(act(BN(dense(x))))) -> act              (2 activations)
 *   extra:  dense -> BN -> act when depth - 1 is odd
 *   head:   dense softmax
 * </pre>
 *
 * <p>On images ({@link #build(NetworkFactory.MlpPlan, int)}) every dense layer is a 3x3 convolution
 * (stride 1, same padding, {@code width} channels) and global average pooling precedes the head, as
 * in the plain CNN the baseline is compared with.
 */
public final class ResNetBnFactory {

  private ResNetBnFactory() {}

  /** The dense residual network. */
  public static ComputationGraph build(NetworkFactory.MlpPlan plan) {
    return build(plan, 0);
  }

  /**
   * @param imageSide the side of square single-channel images for the convolutional variant, 0 for
   *     the dense one
   */
  public static ComputationGraph build(NetworkFactory.MlpPlan plan, int imageSide) {
    boolean conv = imageSide > 0;
    ComputationGraphConfiguration.GraphBuilder g =
        NetworkFactory.configuration(plan)
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(
                conv
                    ? InputType.convolutionalFlat(imageSide, imageSide, 1)
                    : InputType.feedForward(plan.inputs()));
    Layers layers = new Layers(g, plan, conv);
    String x = layers.add("stem", "in", conv ? 1 : plan.inputs(), true);
    int remaining = plan.depth() - 1;
    for (int b = 0; b < remaining / 2; b++) {
      String p = "block" + b;
      String h = layers.add(p + "_a", x, plan.width(), true);
      String r = layers.add(p + "_b", h, plan.width(), false);
      g.addVertex(p + "_sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), x, r);
      g.addLayer(
          p + "_act", new ActivationLayer.Builder().activation(layers.act).build(), p + "_sum");
      x = p + "_act";
    }
    if (remaining % 2 == 1) {
      x = layers.add("extra", x, plan.width(), true);
    }
    if (conv) {
      g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
      x = "pool";
    }
    g.addLayer(
        "out",
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(plan.width())
            .nOut(plan.classes())
            .activation(Activation.SOFTMAX)
            .weightInit(
                PlannedWeightInit.gaussian(
                    ScaledGaussian.LECUN, WeightInitPlan.layerSeed(plan.seed(), layers.count)))
            .biasInit(0)
            .build(),
        x);
    g.setOutputs("out");
    ComputationGraphConfiguration conf = g.build();
    conf.getVertices()
        .values()
        .forEach(
            v -> {
              if (v instanceof LayerVertex lv) {
                NetworkFactory.decayOnce(lv.getLayerConf().getLayer());
              }
            });
    ComputationGraph net = new ComputationGraph(conf);
    net.init();
    return net;
  }

  /** Adds the weighted layers, each with its own seeded standard initialisation. */
  private static final class Layers {
    final ComputationGraphConfiguration.GraphBuilder g;
    final NetworkFactory.MlpPlan plan;
    final boolean conv;
    final DksActivation act;
    final double gain;
    int count;

    Layers(
        ComputationGraphConfiguration.GraphBuilder g, NetworkFactory.MlpPlan plan, boolean conv) {
      this.g = g;
      this.plan = plan;
      this.conv = conv;
      this.act = new DksActivation(plan.transform());
      this.gain =
          NetworkFactory.standardInit(plan.transform()).equals("he")
              ? ScaledGaussian.HE
              : ScaledGaussian.LECUN;
    }

    /** dense or 3x3 conv of {@code width} outputs -> BN (-> activation); the last vertex's name. */
    String add(String name, String input, int nIn, boolean activate) {
      PlannedWeightInit init =
          PlannedWeightInit.gaussian(gain, WeightInitPlan.layerSeed(plan.seed(), count++));
      int nOut = plan.width();
      g.addLayer(
          name + "_dense",
          conv
              ? new ConvolutionLayer.Builder(3, 3)
                  .nIn(nIn)
                  .nOut(nOut)
                  .stride(1, 1)
                  .convolutionMode(ConvolutionMode.Same)
                  .activation(Activation.IDENTITY)
                  .weightInit(init)
                  .biasInit(0)
                  .build()
              : new DenseLayer.Builder()
                  .nIn(nIn)
                  .nOut(nOut)
                  .activation(Activation.IDENTITY)
                  .weightInit(init)
                  .biasInit(0)
                  .build(),
          input);
      g.addLayer(
          name + "_bn", new BatchNormalization.Builder().nOut(nOut).build(), name + "_dense");
      if (!activate) {
        return name + "_bn";
      }
      g.addLayer(
          name + "_act", new ActivationLayer.Builder().activation(act).build(), name + "_bn");
      return name + "_act";
    }
  }
}
