package dev.dkssweep.trainer.dl4j;

import dev.dkssweep.dks.init.ScaledGaussian;
import dev.dkssweep.dks.init.WeightInitPlan;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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
 */
public final class ResNetBnFactory {

  private ResNetBnFactory() {}

  public static ComputationGraph build(NetworkFactory.MlpPlan plan) {
    DksActivation act = new DksActivation(plan.transform());
    double gain =
        NetworkFactory.standardInit(plan.transform()).equals("he")
            ? ScaledGaussian.HE
            : ScaledGaussian.LECUN;
    ComputationGraphConfiguration.GraphBuilder g =
        NetworkFactory.configuration(plan)
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.feedForward(plan.inputs()));
    int[] layer = {0};
    String x =
        denseBnAct(
            g, "stem", "in", plan.inputs(), plan.width(), act, gain, plan.seed(), layer, true);
    int remaining = plan.depth() - 1;
    int blocks = remaining / 2;
    for (int b = 0; b < blocks; b++) {
      String p = "block" + b;
      String h =
          denseBnAct(
              g, p + "_a", x, plan.width(), plan.width(), act, gain, plan.seed(), layer, true);
      String r =
          denseBnAct(
              g, p + "_b", h, plan.width(), plan.width(), act, gain, plan.seed(), layer, false);
      g.addVertex(p + "_sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), x, r);
      g.addLayer(p + "_act", new ActivationLayer.Builder().activation(act).build(), p + "_sum");
      x = p + "_act";
    }
    if (remaining % 2 == 1) {
      x =
          denseBnAct(
              g, "extra", x, plan.width(), plan.width(), act, gain, plan.seed(), layer, true);
    }
    g.addLayer(
        "out",
        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .nIn(plan.width())
            .nOut(plan.classes())
            .activation(Activation.SOFTMAX)
            .weightInit(
                PlannedWeightInit.gaussian(
                    ScaledGaussian.LECUN, WeightInitPlan.layerSeed(plan.seed(), layer[0])))
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

  /** dense -> BN (-> activation); returns the last vertex's name. */
  private static String denseBnAct(
      ComputationGraphConfiguration.GraphBuilder g,
      String name,
      String input,
      int nIn,
      int nOut,
      DksActivation act,
      double gain,
      long seed,
      int[] layer,
      boolean activate) {
    g.addLayer(
        name + "_dense",
        new DenseLayer.Builder()
            .nIn(nIn)
            .nOut(nOut)
            .activation(Activation.IDENTITY)
            .weightInit(
                PlannedWeightInit.gaussian(gain, WeightInitPlan.layerSeed(seed, layer[0]++)))
            .biasInit(0)
            .build(),
        input);
    g.addLayer(name + "_bn", new BatchNormalization.Builder().nOut(nOut).build(), name + "_dense");
    if (!activate) {
      return name + "_bn";
    }
    g.addLayer(name + "_act", new ActivationLayer.Builder().activation(act).build(), name + "_bn");
    return name + "_act";
  }
}
