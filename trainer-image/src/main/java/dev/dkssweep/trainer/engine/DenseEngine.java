package dev.dkssweep.trainer.engine;

import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.trainer.dl4j.TrainableNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Trains the trial's MLP (the network {@link dev.dkssweep.trainer.dl4j.NetworkFactory#mlp} builds
 * and initialises) with one fused pass per layer: a direct OpenBLAS product, then bias, shaped
 * activation and its derivative in one SIMD loop ({@link Pointwise}); backward the same way; the
 * optimiser over flat arrays ({@link Optimiser}, DL4J's update rules). Loss: softmax cross-entropy
 * averaged over the batch, as DL4J's MCXENT output layer (probabilities clipped at 1e-10), plus
 * weight decay's 0.5 coeff |W|^2.
 *
 * <p>Why: DL4J spends most of a step of this network in per-op dispatch and temporaries around
 * ND4J's matrix products; see docs/benchmarks.md ("trainer"). The DL4J network stays the definition
 * of the model (layers, initialisation, serialisation): {@link #copyTo} writes the trained
 * parameters back into it, and tests check that both take the same steps.
 */
public final class DenseEngine implements TrainableNet {

  private static final float LOG_CLIP = (float) Math.log(1e-10);

  private final int inputs;
  private final int width;
  private final int depth;
  private final int classes;
  private final float[][] w;
  private final float[][] b;
  private final float[][] gw;
  private final float[][] gb;
  private final float[][][] sw;
  private final float[][][] sb;
  private final Pointwise activation;
  private final Optimiser optimiser;
  private final double weightDecay;
  private final Map<Integer, Buffers> buffers =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Buffers> eldest) {
          return size() > 4;
        }
      };
  private int iteration;
  private double lastScore = Double.NaN;

  private DenseEngine(
      MultiLayerNetwork net,
      int depth,
      TransformedActivation transform,
      IUpdater updater,
      double weightDecay) {
    this.depth = depth;
    this.w = new float[depth + 1][];
    this.b = new float[depth + 1][];
    this.gw = new float[depth + 1][];
    this.gb = new float[depth + 1][];
    this.sw = new float[depth + 1][][];
    this.sb = new float[depth + 1][][];
    this.optimiser = new Optimiser(updater, weightDecay);
    this.weightDecay = weightDecay;
    long[] first = net.getLayer(0).getParam("W").shape();
    long[] head = net.getLayer(depth).getParam("W").shape();
    this.inputs = Math.toIntExact(first[0]);
    this.width = Math.toIntExact(first[1]);
    this.classes = Math.toIntExact(head[1]);
    for (int l = 0; l <= depth; l++) {
      w[l] = net.getLayer(l).getParam("W").dup('c').data().asFloat();
      b[l] = net.getLayer(l).getParam("b").dup('c').data().asFloat();
      gw[l] = new float[w[l].length];
      gb[l] = new float[b[l].length];
      sw[l] = optimiser.state(w[l].length);
      sb[l] = optimiser.state(b[l].length);
    }
    this.activation = Pointwise.of(transform);
  }

  /**
   * The engine for a plain stack of {@code depth} dense layers with the shaped activation and a
   * softmax/MCXENT output layer, starting from the network's current parameters.
   */
  public static DenseEngine of(
      MultiLayerNetwork net,
      int depth,
      TransformedActivation transform,
      IUpdater updater,
      double weightDecay) {
    return new DenseEngine(net, depth, transform, updater, weightDecay);
  }

  /** Whether this machine can run the engine (ND4J's CPU backend with its OpenBLAS). */
  public static boolean available() {
    return Blas.available();
  }

  /**
   * Per batch size and mode. Training keeps every layer's output and derivative for the backward
   * pass, plus two gradient buffers; inference only two outputs, used in turn (a 1,000-row
   * evaluation chunk of the 50-layer benchmark net needs 2 MB instead of 100 MB).
   */
  private final class Buffers {
    final int rows;
    final boolean training;
    final float[][] out;
    final float[][] deriv;
    final float[] logits;
    final float[] gradA;
    final float[] gradB;

    Buffers(int rows, boolean training) {
      this.rows = rows;
      this.training = training;
      int kept = training ? depth : Math.min(depth, 2);
      out = new float[kept][rows * width];
      deriv = training ? new float[depth][rows * width] : null;
      logits = new float[rows * classes];
      gradA = training ? new float[rows * width] : null;
      gradB = training ? new float[rows * width] : null;
    }

    float[] out(int layer) {
      return out[training ? layer : layer % out.length];
    }
  }

  private Buffers buffers(int rows, boolean training) {
    return buffers.computeIfAbsent(2 * rows + (training ? 1 : 0), k -> new Buffers(rows, training));
  }

  /**
   * Forward through every layer; stores derivatives when the buffers are for training, and a copy
   * of each layer's output in {@code collect} when it is not null. Returns the logits' buffer.
   */
  private float[] forward(float[] x, Buffers buf, List<INDArray> collect) {
    int rows = buf.rows;
    float[] in = x;
    int k = inputs;
    for (int l = 0; l < depth; l++) {
      float[] out = buf.out(l);
      Blas.gemm(false, false, rows, width, k, in, w[l], 0f, out);
      activation.apply(out, b[l], rows, width, buf.training ? buf.deriv[l] : null);
      if (collect != null) {
        collect.add(Nd4j.create(out.clone(), new long[] {rows, width}, 'c'));
      }
      in = out;
      k = width;
    }
    float[] logits = buf.logits;
    Blas.gemm(false, false, rows, classes, width, in, w[depth], 0f, logits);
    float[] bias = b[depth];
    for (int r = 0; r < rows; r++) {
      int off = r * classes;
      for (int j = 0; j < classes; j++) {
        logits[off + j] += bias[j];
      }
    }
    return logits;
  }

  /**
   * Turns logits into probabilities in place and returns the summed loss; with {@code grad}, also
   * the loss gradient with respect to the logits, divided by {@code scale}.
   */
  private double softmaxLoss(float[] logits, float[] y, int rows, float[] grad, float scale) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      int off = r * classes;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, logits[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        sum += Math.exp(logits[off + j] - max);
      }
      float logSum = (float) Math.log(sum);
      float labelMass = 0f;
      for (int j = 0; j < classes; j++) {
        float logP = logits[off + j] - max - logSum;
        float yj = y[off + j];
        if (yj != 0f) {
          loss -= yj * Math.max(logP, LOG_CLIP);
          labelMass += yj;
        }
        logits[off + j] = (float) Math.exp(logP);
      }
      if (grad != null) {
        for (int j = 0; j < classes; j++) {
          grad[off + j] = (logits[off + j] * labelMass - y[off + j]) / scale;
        }
      }
    }
    return loss;
  }

  private double regularisation() {
    if (weightDecay == 0) {
      return 0;
    }
    double sum = 0;
    for (float[] m : w) {
      for (float v : m) {
        sum += (double) v * v;
      }
    }
    return 0.5 * weightDecay * sum;
  }

  private static void columnSums(float[] m, int rows, int cols, float[] into) {
    java.util.Arrays.fill(into, 0f);
    for (int r = 0; r < rows; r++) {
      int off = r * cols;
      for (int j = 0; j < cols; j++) {
        into[j] += m[off + j];
      }
    }
  }

  @Override
  public void fit(DataSet batch) {
    fit(floats(batch.getFeatures()), floats(batch.getLabels()));
  }

  /** One optimiser step on a batch: features row-major [rows x inputs], labels [rows x classes]. */
  public void fit(float[] x, float[] y) {
    int rows = x.length / inputs;
    Buffers buf = buffers(rows, true);
    float[] logits = forward(x, buf, null);
    float[] dLogits = new float[rows * classes];
    double loss = softmaxLoss(logits, y, rows, dLogits, rows);
    lastScore = loss / rows + regularisation();
    // output layer
    Blas.gemm(true, false, width, classes, rows, buf.out[depth - 1], dLogits, 0f, gw[depth]);
    columnSums(dLogits, rows, classes, gb[depth]);
    float[] grad = buf.gradA;
    float[] spare = buf.gradB;
    Blas.gemm(false, true, rows, width, classes, dLogits, w[depth], 0f, grad);
    update(depth);
    for (int l = depth - 1; l >= 0; l--) {
      float[] d = buf.deriv[l];
      int n = rows * width;
      for (int i = 0; i < n; i++) {
        grad[i] *= d[i];
      }
      float[] in = l == 0 ? x : buf.out[l - 1];
      int k = l == 0 ? inputs : width;
      Blas.gemm(true, false, k, width, rows, in, grad, 0f, gw[l]);
      columnSums(grad, rows, width, gb[l]);
      if (l > 0) {
        Blas.gemm(false, true, rows, width, width, grad, w[l], 0f, spare);
        float[] t = grad;
        grad = spare;
        spare = t;
      }
      update(l);
    }
    iteration++;
  }

  /**
   * The optimiser step of layer {@code l}, taken as soon as its gradient (still in cache) and the
   * gradient it passes down are computed.
   */
  private void update(int l) {
    optimiser.step(w[l], gw[l], sw[l], iteration, true);
    optimiser.step(b[l], gb[l], sb[l], iteration, false);
  }

  @Override
  public double score() {
    return lastScore;
  }

  @Override
  public double score(DataSet data) {
    float[] x = floats(data.getFeatures());
    int rows = x.length / inputs;
    float[] logits = forward(x, buffers(rows, false), null);
    return softmaxLoss(logits, floats(data.getLabels()), rows, null, 1f) / rows + regularisation();
  }

  @Override
  public INDArray output(INDArray features) {
    float[] x = floats(features);
    int rows = x.length / inputs;
    float[] logits = forward(x, buffers(rows, false), null);
    softmaxLoss(logits, new float[logits.length], rows, null, 1f);
    return Nd4j.create(logits, new long[] {rows, classes}, 'c');
  }

  @Override
  public double learningRate() {
    return optimiser.learningRate(iteration);
  }

  @Override
  public List<INDArray> activationOutputs(INDArray features) {
    float[] x = floats(features);
    int rows = x.length / inputs;
    List<INDArray> outputs = new ArrayList<>(depth);
    forward(x, buffers(rows, false), outputs);
    return outputs;
  }

  /** Writes the current parameters into {@code net} (same architecture), e.g. to save it. */
  public void copyTo(MultiLayerNetwork net) {
    for (int l = 0; l <= depth; l++) {
      INDArray wl = net.getLayer(l).getParam("W");
      INDArray bl = net.getLayer(l).getParam("b");
      wl.assign(Nd4j.create(w[l], wl.shape(), 'c').castTo(wl.dataType()));
      bl.assign(Nd4j.create(b[l], bl.shape(), 'c').castTo(bl.dataType()));
    }
  }

  /** Optimiser steps taken. */
  public int iterations() {
    return iteration;
  }

  private static float[] floats(INDArray a) {
    INDArray c = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    return c.dup('c').data().asFloat();
  }
}
