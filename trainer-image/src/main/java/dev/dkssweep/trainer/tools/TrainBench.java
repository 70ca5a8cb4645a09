package dev.dkssweep.trainer.tools;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.shaping.Shaper;
import dev.dkssweep.dks.shaping.ShapingMethod;
import dev.dkssweep.dks.shaping.ShapingRequest;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.trainer.dl4j.NetworkFactory;
import dev.dkssweep.trainer.dl4j.TrainableNet;
import dev.dkssweep.trainer.engine.DenseEngine;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput of the trainer's network on random data: the MLP 784-256xL-10 (tanh, DKS),
 * Adam, FP32, {@code --steps} timed steps after {@code --warmup}. Set OMP_NUM_THREADS before the
 * JVM starts; {@code trainer-image/bench/train-bench.sh} runs it and the PyTorch twin side by side.
 */
@Command(name = "train-bench", mixinStandardHelpOptions = true)
public final class TrainBench implements Callable<Integer> {

  @Option(names = "--depth", defaultValue = "50")
  int depth;

  @Option(names = "--width", defaultValue = "256")
  int width;

  @Option(names = "--batch", defaultValue = "128")
  int batch;

  @Option(names = "--steps", defaultValue = "60")
  int steps;

  @Option(names = "--warmup", defaultValue = "10")
  int warmup;

  @Option(names = "--activation", defaultValue = "tanh")
  String activation;

  @Option(
      names = "--builtin",
      description = "DL4J's own activation instead of the transformed one (overhead baseline)")
  boolean builtin;

  @Option(
      names = "--engine",
      defaultValue = "dense",
      description =
          "dense: the trainer's fused engine (default for MLPs); dl4j: MultiLayerNetwork.fit")
  String engine;

  @Option(names = "--repeat", defaultValue = "5", description = "timed blocks; the median is shown")
  int repeat;

  @Option(
      names = "--peak-gflops",
      defaultValue = "128",
      description =
          "FP32 FMA peak per core in GFLOP/s, for the share of peak (128 on this machine)")
  double peakGflops;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainBench()).execute(args));
  }

  @Override
  public Integer call() {
    TransformedActivation t =
        new Shaper(GaussianQuadrature.accurate())
            .shape(
                ShapingRequest.of(
                    Activations.byName(activation),
                    ShapingMethod.Dks.defaults(),
                    Architectures.plain(depth)))
            .single()
            .transform();
    MultiLayerNetwork net =
        NetworkFactory.mlp(
            new NetworkFactory.MlpPlan(
                784, depth, width, 10, t, Method.DKS, null, 1, new Adam(1e-4), 0, DataType.FLOAT));
    if (builtin) {
      net = builtinTwin(net);
    }
    TrainableNet trainable =
        engine.equals("dl4j") || builtin
            ? TrainableNet.of(net, depth)
            : DenseEngine.of(net, depth, t, new Adam(1e-4), 0);
    INDArray x = Nd4j.rand(DataType.FLOAT, batch, 784);
    INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
    for (int i = 0; i < batch; i++) {
      y.putScalar(i, i % 10, 1);
    }
    DataSet ds = new DataSet(x, y);
    for (int i = 0; i < warmup; i++) {
      trainable.fit(ds);
    }
    double[] rates = new double[repeat];
    for (int r = 0; r < repeat; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        trainable.fit(ds);
      }
      rates[r] = steps * (double) batch / ((System.nanoTime() - start) / 1e9);
    }
    java.util.Arrays.sort(rates);
    double samplesPerSecond = rates[repeat / 2];
    // forward + backward ~ 3 x 2 x (multiply-adds of the dense layers) per sample
    double flopPerSample = 6.0 * (784.0 * width + (depth - 1.0) * width * width + width * 10.0);
    System.out.printf(
        Locale.ROOT,
        "%s %s%s depth %d width %d batch %d OMP_NUM_THREADS=%s: %.0f samples/s, %.1f"
            + " MFLOP/sample, %.1f GFLOP/s, %.0f%% of FMA peak (median of %d x %d steps)%n",
        builtin || engine.equals("dl4j") ? "dl4j" : "dense-engine",
        builtin ? "builtin " : "transformed ",
        activation,
        depth,
        width,
        batch,
        System.getenv("OMP_NUM_THREADS"),
        samplesPerSecond,
        flopPerSample / 1e6,
        samplesPerSecond * flopPerSample / 1e9,
        100 * samplesPerSecond * flopPerSample / 1e9 / (peakGflops * threads()),
        repeat,
        steps);
    return 0;
  }

  private static int threads() {
    try {
      return Math.max(1, Integer.parseInt(System.getenv().getOrDefault("OMP_NUM_THREADS", "1")));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** The same network and weights with DL4J's built-in activation (tanh or sigmoid). */
  private MultiLayerNetwork builtinTwin(MultiLayerNetwork net) {
    org.nd4j.linalg.activations.Activation a =
        org.nd4j.linalg.activations.Activation.valueOf(activation.toUpperCase(Locale.ROOT));
    org.deeplearning4j.nn.conf.MultiLayerConfiguration conf =
        net.getLayerWiseConfigurations().clone();
    for (int l = 0; l < depth; l++) {
      ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getConf(l).getLayer())
          .setActivationFn(a.getActivationFunction());
    }
    MultiLayerNetwork twin = new MultiLayerNetwork(conf);
    twin.init(net.params().dup(), false);
    return twin;
  }
}
