package dev.dkssweep.trainer;

import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.init.Pln;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.trainer.check.InitKernelCheck;
import dev.dkssweep.trainer.data.Datasets;
import dev.dkssweep.trainer.data.Examples;
import dev.dkssweep.trainer.dl4j.NetworkFactory;
import dev.dkssweep.trainer.dl4j.ResNetBnFactory;
import dev.dkssweep.trainer.dl4j.Schedules;
import dev.dkssweep.trainer.dl4j.TrainableNet;
import dev.dkssweep.trainer.engine.DenseEngine;
import dev.dkssweep.trainer.report.MetricReporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One attempt of one trial: data, network, init-time kernel check, training loop with metrics,
 * summary. Seeded: the same spec gives the same run.
 */
public final class Training {

  private static final Logger LOG = Logger.getLogger(Training.class.getName());
  private static final int EVAL_LIMIT = 10_000;
  private static final int EVAL_CHUNK = 1_000;

  private final TrialSpec spec;
  private final MetricReporter reporter;
  private final Path dataDir;
  private final AtomicBoolean stopRequested;
  private final Engine engine;

  /** Who trains an MLP; every other architecture is trained by DL4J. */
  public enum Engine {
    /** The dense engine where it runs (ND4J's CPU backend), else DL4J (the CUDA image). */
    auto,
    /** {@link DenseEngine}: one fused BLAS-and-SIMD pass per layer, DL4J's update rules. */
    dense,
    /** {@code MultiLayerNetwork.fit}. */
    dl4j
  }

  public Training(
      TrialSpec spec, MetricReporter reporter, Path dataDir, AtomicBoolean stop, Engine engine) {
    this.spec = spec;
    this.reporter = reporter;
    this.dataDir = dataDir;
    this.stopRequested = stop;
    this.engine = engine;
  }

  /** Prepared inputs: data split, transform, network. */
  private record Setup(
      Examples train, Examples validation, TransformedActivation transform, TrainableNet net) {}

  /** Runs the trial; shaping and data errors come back as exceptions for the caller to classify. */
  public TrialSummary run() throws IOException {
    long started = System.nanoTime();
    TransformedActivation transform = Transforms.resolve(spec.model());
    Setup s = setup(transform);
    INDArray probe = features(s.validation().head(256));
    List<INDArray> outputs = s.net().activationOutputs(probe);
    TrialSummary.InitCheck check = null;
    if (outputs.isEmpty()) {
      // batch norm and skip connections are outside the kernel maps: nothing to compare with
      LOG.info("init check: not applicable to " + spec.model().architecture().code());
    } else {
      check = InitKernelCheck.run(probe, outputs, transform);
      reporter.report(
          0,
          0,
          Map.of(
              "init_max_q_deviation", check.maxQDeviation(),
              "init_max_c_deviation", check.maxCDeviation()));
      LOG.info(
          String.format(
              "init check: max |q - predicted| %.3g, max |c - predicted| %.3g over %d layers",
              check.maxQDeviation(), check.maxCDeviation(), check.layers().size()));
    }
    return loop(s, check, started);
  }

  private Setup setup(TransformedActivation transform) throws IOException {
    TrialSpec.DataSpec d = spec.data();
    Datasets.Split split =
        Datasets.load(d.dataset(), d.path(), d.url(), d.sha256(), dataDir, spec.seed());
    Examples all = split.train();
    // index arithmetic instead of copies: the data set is copied once, into train and validation
    int[] order = permutation(all.size(), new SplittableRandom(spec.seed()));
    int used = d.trainLimit() == null ? order.length : Math.min(order.length, d.trainLimit());
    int validationSize = (int) Math.round(used * d.validationFraction());
    Examples validation =
        validationSize > 0
            ? all.select(java.util.Arrays.copyOfRange(order, 0, validationSize))
            : split.test();
    Examples train = all.select(java.util.Arrays.copyOfRange(order, validationSize, used));
    if (d.pln()) {
      pln(train);
      pln(validation);
    }
    long steps = plannedSteps(train.size());
    TrialSpec.OptimisationSpec o = spec.optimisation();
    NetworkFactory.MlpPlan plan =
        new NetworkFactory.MlpPlan(
            train.features(),
            spec.model().depth(),
            spec.model().width(),
            train.classes(),
            transform,
            spec.model().method(),
            spec.model().weightInit(),
            spec.seed(),
            Schedules.updater(o.optimizer(), o.learningRate(), o.schedule(), steps),
            o.weightDecay(),
            DataType.FLOAT);
    TrainableNet net =
        switch (spec.model().architecture()) {
          case MLP -> mlp(plan);
          case CNN -> TrainableNet.of(NetworkFactory.cnn(plan, imageSide(train)), plan.depth());
          case RESNET_BN ->
              TrainableNet.of(
                  ResNetBnFactory.build(
                      plan, spec.model().layers() == Architecture.CNN ? imageSide(train) : 0),
                  "stem_dense");
        };
    return new Setup(train, validation, transform, net);
  }

  private TrainableNet mlp(NetworkFactory.MlpPlan plan) {
    MultiLayerNetwork net = NetworkFactory.mlp(plan);
    boolean dense =
        switch (engine) {
          case dense -> true;
          case dl4j -> false;
          case auto -> DenseEngine.available();
        };
    LOG.info(dense ? "engine: dense (fused BLAS + SIMD)" : "engine: DL4J MultiLayerNetwork");
    return dense
        ? DenseEngine.of(net, plan.depth(), plan.transform(), plan.updater(), plan.weightDecay())
        : TrainableNet.of(net, plan.depth());
  }

  /** The side of square single-channel images, for the CNN. */
  private static int imageSide(Examples e) {
    int side = (int) Math.round(Math.sqrt(e.features()));
    if (side * side != e.features()) {
      throw new InvalidSpecException(
          List.of(
              new SpecViolation(
                  "model.architecture",
                  "cnn needs square single-channel images; this data set has "
                      + e.features()
                      + " features per example: use mlp")));
    }
    return side;
  }

  private TrialSummary loop(Setup s, TrialSummary.InitCheck check, long started) {
    int batch = spec.data().batchSize();
    int every = spec.reporting() == null ? 50 : spec.reporting().everySteps();
    long maxSteps = plannedSteps(s.train().size());
    int epochs =
        spec.optimisation().epochs() == null ? Integer.MAX_VALUE : spec.optimisation().epochs();
    long step = 0;
    long samples = 0;
    double trainSeconds = 0;
    Map<String, Double> last = new LinkedHashMap<>();
    Map<String, Double> best = new LinkedHashMap<>();
    TrialStatus status = TrialStatus.SUCCEEDED;
    String error = null;
    SplittableRandom shuffle = new SplittableRandom(spec.seed() ^ 0x5DEECE66DL);
    outer:
    for (int epoch = 1; epoch <= epochs && step < maxSteps; epoch++) {
      int[] order = permutation(s.train().size(), shuffle);
      for (int from = 0; from < order.length && step < maxSteps; from += batch) {
        if (stopRequested.get()) {
          status = TrialStatus.STOPPED;
          break outer;
        }
        int[] idx = java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batch));
        DataSet ds = dataSet(s.train().select(idx));
        long t0 = System.nanoTime();
        s.net().fit(ds);
        trainSeconds += (System.nanoTime() - t0) / 1e9;
        step++;
        samples += idx.length;
        double loss = s.net().score();
        if (!Double.isFinite(loss)) {
          status = TrialStatus.DIVERGED;
          error = "non-finite training loss " + loss + " at step " + step;
          break outer;
        }
        if (step % every == 0) {
          double lr = s.net().learningRate();
          reporter.report(step, epoch, Map.of("train_loss", loss, "learning_rate", lr));
        }
      }
      Map<String, Double> metrics;
      try {
        metrics = evaluate(s, epoch);
      } catch (NonFinitePredictions e) {
        // batch norm's running statistics can overflow while the training loss is still finite
        status = TrialStatus.DIVERGED;
        error = "non-finite predictions on the " + e.getMessage() + " after epoch " + epoch;
        break;
      }
      metrics.put("samples_per_second", samples / Math.max(trainSeconds, 1e-9));
      reporter.report(step, epoch, metrics);
      last.putAll(metrics);
      metrics.forEach((k, v) -> best.merge(k, v, k.contains("loss") ? Math::min : Math::max));
      if (!Double.isFinite(metrics.get("val_loss"))) {
        status = TrialStatus.DIVERGED;
        error = "non-finite validation loss after epoch " + epoch;
        break;
      }
    }
    TransformedActivation t = s.transform();
    int unsent = reporter.drain(stopRequested);
    return new TrialSummary(
        spec.trialId(),
        spec.attempt(),
        status,
        last,
        best,
        step,
        (System.nanoTime() - started) / 1e9,
        samples / Math.max(trainSeconds, 1e-9),
        new TrialSummary.AppliedTransform(
            t.base().id(),
            spec.model().method().code(),
            t.alpha(),
            t.beta(),
            t.gamma(),
            t.delta(),
            Double.isNaN(t.negativeSlope()) ? null : t.negativeSlope()),
        check,
        error,
        unsent,
        s.net() instanceof DenseEngine ? "dense" : "dl4j");
  }

  private Map<String, Double> evaluate(Setup s, int epoch) {
    Map<String, Double> m = new LinkedHashMap<>();
    double[] train = lossAndAccuracy(s.net(), s.train().head(EVAL_LIMIT), "training examples");
    double[] val = lossAndAccuracy(s.net(), s.validation(), "validation set");
    m.put("train_loss_epoch", train[0]);
    m.put("train_accuracy", train[1]);
    m.put("val_loss", val[0]);
    m.put("val_accuracy", val[1]);
    LOG.info(
        String.format(
            "epoch %d: train loss %.4f acc %.4f, validation loss %.4f acc %.4f",
            epoch, train[0], train[1], val[0], val[1]));
    return m;
  }

  /** The network's outputs on a data set are NaN or infinite: it diverged. */
  static final class NonFinitePredictions extends RuntimeException {
    NonFinitePredictions(String set) {
      super(set, null, false, false);
    }
  }

  /**
   * Loss and accuracy over {@code e}, in chunks so that memory stays bounded.
   *
   * @throws NonFinitePredictions when an output is NaN or infinite (DL4J's evaluation would refuse
   *     it with an IllegalStateException, which is not the trainer's failure but the network's)
   */
  static double[] lossAndAccuracy(TrainableNet net, Examples e, String set) {
    Evaluation eval = new Evaluation(e.classes());
    double lossSum = 0;
    for (int from = 0; from < e.size(); from += EVAL_CHUNK) {
      int[] idx = new int[Math.min(EVAL_CHUNK, e.size() - from)];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = from + i;
      }
      DataSet ds = dataSet(e.select(idx));
      lossSum += net.score(ds) * idx.length;
      INDArray out = net.output(ds.getFeatures());
      if (!Double.isFinite(out.sumNumber().doubleValue())) {
        throw new NonFinitePredictions(set);
      }
      eval.eval(ds.getLabels(), out);
    }
    return new double[] {lossSum / Math.max(1, e.size()), eval.accuracy()};
  }

  private long plannedSteps(int trainSize) {
    int batch = spec.data().batchSize();
    long perEpoch = (trainSize + batch - 1) / batch;
    Integer epochs = spec.optimisation().epochs();
    Long maxSteps = spec.optimisation().maxSteps();
    long byEpochs = epochs == null ? Long.MAX_VALUE : perEpoch * epochs;
    return Math.min(byEpochs, maxSteps == null ? Long.MAX_VALUE : maxSteps);
  }

  static DataSet dataSet(Examples e) {
    INDArray x = Nd4j.create(e.x(), new long[] {e.size(), e.features()}, 'c');
    INDArray y = Nd4j.zeros(DataType.FLOAT, e.size(), e.classes());
    for (int i = 0; i < e.size(); i++) {
      y.putScalar(i, e.labels()[i], 1);
    }
    return new DataSet(x, y);
  }

  static INDArray features(Examples e) {
    return Nd4j.create(e.x(), new long[] {e.size(), e.features()}, 'c');
  }

  private static void pln(Examples e) {
    double[] row = new double[e.features()];
    for (int i = 0; i < e.size(); i++) {
      int off = i * e.features();
      for (int f = 0; f < row.length; f++) {
        row[f] = e.x()[off + f];
      }
      Pln.perExample(row);
      for (int f = 0; f < row.length; f++) {
        e.x()[off + f] = (float) row[f];
      }
    }
  }

  static int[] permutation(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
