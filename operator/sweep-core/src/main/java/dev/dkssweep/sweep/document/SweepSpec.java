package dev.dkssweep.sweep.document;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.LaunchOrder;
import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.StrategyType;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import java.util.List;

/**
 * A sweep document as the user typed it: the spec of the {@code Sweep} custom resource, and the
 * document {@code ./dks-sweep run} reads. Every field is nullable; every field but {@code
 * objective} and {@code space} has a default. {@link SweepValidator} says what is wrong with a
 * spec, field by field; {@link #definition()} resolves a valid one into the {@link SweepDefinition}
 * everything after validation uses. docs/sweep-spec.md documents each field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SweepSpec(
    Objective objective,
    Architecture architecture,
    SearchSpace space,
    MethodParams methodParams,
    List<String> baselines,
    Strategy strategy,
    PreflightPolicy preflight,
    Integer parallelism,
    Budget budget,
    EarlyStopping earlyStopping,
    RetryPolicy retry,
    Training training,
    TrainerSettings trainer) {

  public static final String RESNET_BN = SweepDefinition.RESNET_BN;

  /**
   * @param metric a metric the trainer reports, e.g. val_accuracy or val_loss
   * @param reduce how a trial's values become its objective (default last)
   * @param target stop the sweep once a finished trial reaches it (optional)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Objective(String metric, Goal goal, Reduce reduce, Double target) {

    /** True when {@code a} is strictly better than {@code b} for this goal. */
    public boolean better(double a, double b) {
      return goal == Goal.MINIMIZE ? a < b : a > b;
    }
  }

  /**
   * The axes. Lists accept a single value ({@code width: 128}).
   *
   * @param method dks, tat, standard, orthogonal
   * @param seeds the number of seeds per cell (trial seeds 1..seeds, shared across cells)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SearchSpace(
      List<Method> method,
      List<String> activation,
      List<Integer> depth,
      List<Integer> width,
      LearningRates learningRate,
      List<String> dataset,
      Integer epochs,
      Integer seeds,
      List<Exclusion> exclude) {}

  /** Learning rates as a list ({@code [0.1, 0.01]}) or a log-spaced range. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LearningRates(List<Double> values, LogRange logRange) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public LearningRates(
        @JsonProperty("values") List<Double> values, @JsonProperty("logRange") LogRange logRange) {
      this.values = values;
      this.logRange = logRange;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LearningRates of(List<Double> values) {
      return new LearningRates(values, null);
    }

    /** {@code count} rates from {@code min} to {@code max}, evenly spaced in log scale. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LogRange(Double min, Double max, Integer count) {}
  }

  /**
   * Cells to leave out: a cell is excluded when it matches every field given.
   *
   * @param method dks, tat, standard, orthogonal or resnet-bn
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Exclusion(
      String method,
      String activation,
      Integer depth,
      Integer width,
      Double learningRate,
      String dataset) {}

  /** DKS and TAT parameters; null fields take dks-core's defaults. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MethodParams(DksParams dks, TatParams tat) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DksParams(Double zeta, Double localQSlope) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TatParams(Double tau, Double eta) {}

  /**
   * @param samples random strategy: the number of cells to draw
   * @param seed random strategy: the seed of the draw
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Strategy(StrategyType type, Integer samples, Long seed, LaunchOrder order) {}

  /**
   * @param skipInfeasible mark cells the solver cannot shape Skipped (else the sweep fails)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PreflightPolicy(Boolean skipInfeasible) {}

  /**
   * @param maxTrials launch at most this many trials (retries not counted)
   * @param maxFailedTrials the sweep fails when more trials than this have failed for good
   * @param deadline e.g. 90m, 2h, 1h30m or PT2H: running trials are stopped, the sweep completes
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Budget(Integer maxTrials, Integer maxFailedTrials, String deadline) {}

  /**
   * @param gracePeriod epochs before a trial can be stopped (median) or the first rung (ASHA)
   * @param reductionFactor ASHA: keep the best 1/reductionFactor at each rung
   * @param minTrials median rule: how many other trials must have reached the epoch
   * @param stopOnNonFinite a diverged trial (non-finite loss) is final and not retried
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EarlyStopping(
      StoppingRule rule,
      Integer gracePeriod,
      Integer reductionFactor,
      Integer minTrials,
      Boolean stopOnNonFinite) {}

  /**
   * @param maxRetries how many times a failed trial is started again
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RetryPolicy(Integer maxRetries) {}

  /**
   * What every trial shares apart from the axes.
   *
   * @param dataUrl where trainers download IDX files missing on their machine ({@code {dataset}} is
   *     replaced by the cell's data set); null = never download
   * @param dataSha256 expected SHA-256 per IDX file name (see TrialSpec.DataSpec)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Training(
      Optimizer optimizer,
      Schedule schedule,
      Integer batchSize,
      Double weightDecay,
      Double validationFraction,
      Integer trainLimit,
      Boolean pln,
      Long maxSteps,
      Integer reportEverySteps,
      String dataPath,
      String dataUrl,
      java.util.Map<String, String> dataSha256) {}

  /**
   * How trainers run: the image (cluster mode), extra arguments, threads per trial (local mode:
   * default cores / parallelism), JVM options, pod resources, extra environment (both modes), and
   * where the pods go (cluster mode: queue, node selector, tolerations, affinity, priority and
   * runtime class, image pull secrets; Kubernetes' own shapes).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TrainerSettings(
      String image,
      List<String> args,
      Integer threads,
      List<String> jvmOptions,
      Resources resources,
      List<EnvVar> env,
      String queueName,
      java.util.Map<String, String> nodeSelector,
      List<SweepDefinition.Toleration> tolerations,
      java.util.Map<String, Object> affinity,
      String priorityClassName,
      String runtimeClassName,
      List<NameRef> imagePullSecrets,
      Cleanup cleanup) {

    /** Image, arguments, threads, JVM options and resources; nothing else set. */
    public TrainerSettings(
        String image,
        List<String> args,
        Integer threads,
        List<String> jvmOptions,
        Resources resources) {
      this(
          image,
          args,
          threads,
          jvmOptions,
          resources,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
  }

  /**
   * What happens to a finished attempt's Job: deleted once its result is recorded, unless it failed
   * and {@code keepFailed} asks to keep it (with its pod and logs) for inspection.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cleanup(Boolean keepFailed) {}

  /** One environment variable: {@code {name: WANDB_MODE, value: offline}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvVar(String name, String value) {}

  /** A reference by name, as Kubernetes writes image pull secrets: {@code {name: regcred}}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NameRef(String name) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(String cpu, String memory, Integer gpu) {}

  /** The names of the arms: the method codes, then the baselines. */
  @JsonIgnore
  public List<String> arms() {
    List<String> arms = new java.util.ArrayList<>();
    if (space != null && space.method() != null) {
      space.method().forEach(m -> arms.add(m == null ? null : m.code()));
    }
    if (baselines != null) {
      arms.addAll(baselines);
    }
    return arms;
  }

  /** The definition of this spec, every default filled in; call on a spec without violations. */
  public SweepDefinition definition() {
    return SweepDefinitionMapper.resolve(this);
  }
}
