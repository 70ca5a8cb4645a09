package dev.dkssweep.trainer.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** What the training loop needs from a network, for plain stacks and graphs alike. */
public interface TrainableNet {

  void fit(DataSet batch);

  /** The loss of the last fitted minibatch. */
  double score();

  /** The loss on a data set (inference mode). */
  double score(DataSet data);

  INDArray output(INDArray features);

  double learningRate();

  /**
   * The outputs of the shaped activation layers, in order, for the init-time kernel check; empty
   * when the kernel maps do not describe the network (batch norm, skip connections).
   */
  List<INDArray> activationOutputs(INDArray features);

  /** A plain stack whose first {@code activationLayers} layers are the shaped ones. */
  static TrainableNet of(MultiLayerNetwork net, int activationLayers) {
    return new TrainableNet() {
      @Override
      public void fit(DataSet batch) {
        net.fit(batch);
      }

      @Override
      public double score() {
        return net.score();
      }

      @Override
      public double score(DataSet data) {
        return net.score(data, false);
      }

      @Override
      public INDArray output(INDArray features) {
        return net.output(features, false);
      }

      @Override
      public double learningRate() {
        return net.getLearningRate(0);
      }

      @Override
      public List<INDArray> activationOutputs(INDArray features) {
        List<INDArray> all = net.feedForward(features, false);
        return new ArrayList<>(all.subList(1, 1 + activationLayers));
      }
    };
  }

  /** A graph (the resnet-bn baseline): no kernel check. */
  static TrainableNet of(ComputationGraph net, String firstLayer) {
    return new TrainableNet() {
      @Override
      public void fit(DataSet batch) {
        net.fit(batch);
      }

      @Override
      public double score() {
        return net.score();
      }

      @Override
      public double score(DataSet data) {
        return net.score(data, false);
      }

      @Override
      public INDArray output(INDArray features) {
        return net.outputSingle(false, features);
      }

      @Override
      public double learningRate() {
        return net.getLearningRate(firstLayer);
      }

      @Override
      public List<INDArray> activationOutputs(INDArray features) {
        return List.of();
      }
    };
  }
}
