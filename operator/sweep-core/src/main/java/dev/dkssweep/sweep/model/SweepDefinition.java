package dev.dkssweep.sweep.model;

import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A sweep as everything after validation sees it: every default filled in and nothing null (what
 * may be absent is an {@code Optional}). The user's document ({@code SweepSpec}, every field
 * nullable, as typed) is resolved into it once, by {@code SweepDefinitionMapper}; local mode's YAML
 * file and the {@code Sweep} custom resource both arrive here.
 *
 * @param baselines baseline arms run beside the methods (resnet-bn)
 * @param skipInfeasible cells the kernel preflight cannot shape are Skipped (else the sweep fails)
 * @param maxRetries how many times a failed trial is started again
 */
public record SweepDefinition(
    Objective objective,
    Architecture architecture,
    SearchSpace space,
    MethodParams methodParams,
    List<String> baselines,
    Strategy strategy,
    boolean skipInfeasible,
    int parallelism,
    Budget budget,
    EarlyStopping earlyStopping,
    int maxRetries,
    Training training,
    Trainer trainer) {

  /** The batch-norm residual baseline arm. */
  public static final String RESNET_BN = "resnet-bn";

  public SweepDefinition {
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(methodParams, "methodParams");
    baselines = List.copyOf(baselines);
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(earlyStopping, "earlyStopping");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(trainer, "trainer");
  }

  /**
   * @param metric a metric the trainer reports, e.g. val_accuracy or val_loss
   * @param reduce how a trial's values become its objective
   * @param target the sweep completes once a finished trial reaches it
   */
  public record Objective(String metric, Goal goal, Reduce reduce, OptionalDouble target) {

    public Objective {
      Objects.requireNonNull(metric, "metric");
      Objects.requireNonNull(goal, "goal");
      Objects.requireNonNull(reduce, "reduce");
      Objects.requireNonNull(target, "target");
    }

    /** True when {@code a} is strictly better than {@code b} for this goal. */
    public boolean better(double a, double b) {
      return goal == Goal.MINIMIZE ? a < b : a > b;
    }
  }

  /**
   * The axes.
   *
   * @param seeds the number of seeds per cell (trial seeds 1..seeds, shared across cells)
   */
  public record SearchSpace(
      List<Method> methods,
      List<String> activations,
      List<Integer> depths,
      List<Integer> widths,
      LearningRates learningRates,
      List<String> datasets,
      int epochs,
      int seeds,
      List<Exclusion> exclusions) {

    public SearchSpace {
      methods = List.copyOf(methods);
      activations = List.copyOf(activations);
      depths = List.copyOf(depths);
      widths = List.copyOf(widths);
      Objects.requireNonNull(learningRates, "learningRates");
      datasets = List.copyOf(datasets);
      exclusions = List.copyOf(exclusions);
    }
  }

  /** The learning-rate axis: a list, or {@code count} rates evenly spaced in log scale. */
  public sealed interface LearningRates {

    /** The rates of the axis (a log range's rounded to 12 significant digits). */
    List<Double> values();

    record Listed(List<Double> values) implements LearningRates {
      public Listed {
        values = List.copyOf(values);
      }
    }

    record LogRange(double min, double max, int count) implements LearningRates {
      @Override
      public List<Double> values() {
        List<Double> rates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          double t = count == 1 ? 0 : (double) i / (count - 1);
          double x = min * Math.pow(max / min, t);
          rates.add(new BigDecimal(x).round(new MathContext(12)).doubleValue());
        }
        return List.copyOf(rates);
      }
    }
  }

  /**
   * Cells to leave out: a cell is excluded when it matches every field given.
   *
   * @param arm a method code or resnet-bn
   */
  public record Exclusion(
      Optional<String> arm,
      Optional<String> activation,
      OptionalInt depth,
      OptionalInt width,
      OptionalDouble learningRate,
      Optional<String> dataset) {

    public Exclusion {
      Objects.requireNonNull(arm, "arm");
      Objects.requireNonNull(activation, "activation");
      Objects.requireNonNull(depth, "depth");
      Objects.requireNonNull(width, "width");
      Objects.requireNonNull(learningRate, "learningRate");
      Objects.requireNonNull(dataset, "dataset");
    }
  }

  /** The DKS (zeta, local Q slope) and TAT (tau, eta) parameters. */
  public record MethodParams(double zeta, double localQSlope, double tau, double eta) {}

  /**
   * @param samples random strategy: the number of cells to draw (empty for the grid)
   * @param seed random strategy: the seed of the draw
   */
  public record Strategy(StrategyType type, OptionalInt samples, long seed, LaunchOrder order) {

    public Strategy {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(samples, "samples");
      Objects.requireNonNull(order, "order");
    }
  }

  /**
   * @param maxTrials launch at most this many trials (retries not counted)
   * @param maxFailedTrials the sweep fails when more trials than this have failed for good
   * @param deadline running trials are stopped and the sweep completes once it has run this long
   */
  public record Budget(
      OptionalInt maxTrials, OptionalInt maxFailedTrials, Optional<Duration> deadline) {

    public Budget {
      Objects.requireNonNull(maxTrials, "maxTrials");
      Objects.requireNonNull(maxFailedTrials, "maxFailedTrials");
      Objects.requireNonNull(deadline, "deadline");
    }
  }

  /**
   * @param gracePeriod epochs before a trial can be stopped (median) or the first rung (ASHA)
   * @param reductionFactor ASHA: keep the best 1/reductionFactor at each rung
   * @param minTrials median rule: how many other trials must have reached the epoch
   * @param stopOnNonFinite a diverged trial (non-finite loss) is final and not retried
   */
  public record EarlyStopping(
      StoppingRule rule,
      int gracePeriod,
      int reductionFactor,
      int minTrials,
      boolean stopOnNonFinite) {

    public EarlyStopping {
      Objects.requireNonNull(rule, "rule");
    }
  }

  /**
   * What every trial shares apart from the axes.
   *
   * @param dataUrl where trainers download IDX files missing on their machine ({@code {dataset}} is
   *     replaced by the cell's data set)
   * @param dataSha256 expected SHA-256 per IDX file name (empty: the built-in ones)
   */
  public record Training(
      Optimizer optimizer,
      Schedule schedule,
      int batchSize,
      double weightDecay,
      double validationFraction,
      OptionalInt trainLimit,
      boolean pln,
      OptionalLong maxSteps,
      int reportEverySteps,
      Optional<String> dataPath,
      Optional<String> dataUrl,
      Map<String, String> dataSha256) {

    public Training {
      Objects.requireNonNull(optimizer, "optimizer");
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(trainLimit, "trainLimit");
      Objects.requireNonNull(maxSteps, "maxSteps");
      Objects.requireNonNull(dataPath, "dataPath");
      Objects.requireNonNull(dataUrl, "dataUrl");
      dataSha256 = Map.copyOf(dataSha256);
    }
  }

  /**
   * How trainers run: the image (cluster mode), extra arguments, threads per trial (local mode:
   * cores / parallelism when empty), JVM options, pod resources, extra environment (both modes) and
   * where the pods go (cluster mode).
   */
  public record Trainer(
      String image,
      List<String> args,
      OptionalInt threads,
      List<String> jvmOptions,
      Resources resources,
      List<EnvVar> env,
      Placement placement,
      boolean keepFailed) {

    public Trainer {
      Objects.requireNonNull(image, "image");
      args = List.copyOf(args);
      Objects.requireNonNull(threads, "threads");
      jvmOptions = List.copyOf(jvmOptions);
      Objects.requireNonNull(resources, "resources");
      env = List.copyOf(env);
      Objects.requireNonNull(placement, "placement");
    }

    /** A trainer with no extra environment and the cluster's default placement. */
    public Trainer(
        String image,
        List<String> args,
        OptionalInt threads,
        List<String> jvmOptions,
        Resources resources) {
      this(image, args, threads, jvmOptions, resources, List.of(), Placement.NONE, false);
    }
  }

  /** One variable of the trainer's environment. */
  public record EnvVar(String name, String value) {

    public EnvVar {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Where a sweep's trainer pods go in a cluster (local mode has no use for it): the Kueue
   * LocalQueue, node selector, tolerations and affinity, priority and runtime class, image pull
   * secrets. Empty fields take the operator's defaults (the chart's {@code trainer} values).
   *
   * @param affinity a pod affinity as Kubernetes writes it (JSON objects as maps), empty for none;
   *     the cluster's schema checks it
   */
  public record Placement(
      Optional<String> queueName,
      Map<String, String> nodeSelector,
      List<Toleration> tolerations,
      Map<String, Object> affinity,
      Optional<String> priorityClassName,
      Optional<String> runtimeClassName,
      List<String> imagePullSecrets) {

    public static final Placement NONE =
        new Placement(
            Optional.empty(),
            Map.of(),
            List.of(),
            Map.of(),
            Optional.empty(),
            Optional.empty(),
            List.of());

    public Placement {
      Objects.requireNonNull(queueName, "queueName");
      nodeSelector = Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
      tolerations = List.copyOf(tolerations);
      affinity = Collections.unmodifiableMap(new LinkedHashMap<>(affinity));
      Objects.requireNonNull(priorityClassName, "priorityClassName");
      Objects.requireNonNull(runtimeClassName, "runtimeClassName");
      imagePullSecrets = List.copyOf(imagePullSecrets);
    }
  }

  /** A toleration of node taints, as Kubernetes writes it; null fields are left out. */
  public record Toleration(
      String key, String operator, String value, String effect, Long tolerationSeconds) {}

  /** A trainer pod's requests; empty fields take the cluster's defaults. */
  public record Resources(Optional<String> cpu, Optional<String> memory, OptionalInt gpu) {

    public static final Resources NONE =
        new Resources(Optional.empty(), Optional.empty(), OptionalInt.empty());

    public Resources {
      Objects.requireNonNull(cpu, "cpu");
      Objects.requireNonNull(memory, "memory");
      Objects.requireNonNull(gpu, "gpu");
    }
  }

  /** The names of the arms: the method codes, then the baselines. */
  public List<String> arms() {
    List<String> arms = new ArrayList<>();
    space.methods().forEach(m -> arms.add(m.code()));
    arms.addAll(baselines);
    return List.copyOf(arms);
  }

  /** This definition with another parallelism (local mode's {@code --parallelism}). */
  public SweepDefinition withParallelism(int n) {
    return new SweepDefinition(
        objective,
        architecture,
        space,
        methodParams,
        baselines,
        strategy,
        skipInfeasible,
        n,
        budget,
        earlyStopping,
        maxRetries,
        training,
        trainer);
  }
}
