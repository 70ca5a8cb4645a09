package dev.dkssweep.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.LaunchOrder;
import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.StrategyType;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * The Sweep resource's spec: the sweep document of docs/sweep-spec.md in its canonical form (every
 * axis a list, learning rates as {@code values} or {@code logRange}), plus {@code suspend}. The
 * annotations are the CRD's schema: structure, ranges and list sizes, and CEL rules for what
 * crosses fields; the transition rules ({@code oldSelf}) are {@code SweepChanges}'s, so that the
 * API server refuses what the operator would. The sweep core's {@code SweepValidator} remains the
 * complete check (it names every violation, and local mode has no API server).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.objective) == has(oldSelf.objective) && (!has(self.objective) || self.objective == oldSelf.objective)",
    message = "objective cannot change once the sweep has started")
@ValidationRule(
    value =
        "has(self.architecture) == has(oldSelf.architecture) && (!has(self.architecture) || self.architecture == oldSelf.architecture)",
    message = "architecture cannot change once the sweep has started")
@ValidationRule(
    value =
        "has(self.methodParams) == has(oldSelf.methodParams) && (!has(self.methodParams) || self.methodParams == oldSelf.methodParams)",
    message = "methodParams cannot change once the sweep has started")
@ValidationRule(
    value =
        "has(self.training) == has(oldSelf.training) && (!has(self.training) || self.training == oldSelf.training)",
    message = "training cannot change once the sweep has started")
public record SweepSpec(
    @Required @JsonPropertyDescription("What a trial is judged by.") Objective objective,
    @JsonPropertyDescription("The network family: mlp (default) or cnn.") Architecture architecture,
    @Required @JsonPropertyDescription("The axes; every combination is a cell.") SearchSpace space,
    @JsonPropertyDescription("DKS and TAT parameters; unset fields take dks-core's defaults.")
        MethodParams methodParams,
    @JsonPropertyDescription("Baseline arms run beside the methods: resnet-bn.") @Size(max = 4)
        List<@Pattern("^resnet-bn$") String> baselines,
    @JsonPropertyDescription("How cells are chosen and ordered.") Strategy strategy,
    @JsonPropertyDescription("What the kernel preflight does with cells it cannot shape.")
        Preflight preflight,
    @JsonPropertyDescription("Trials running at once (default 1).") @Min(1) @Max(1024)
        Integer parallelism,
    @JsonPropertyDescription("Limits on trials, failures and time.") Budget budget,
    @JsonPropertyDescription("Stopping unpromising trials early.") EarlyStopping earlyStopping,
    @JsonPropertyDescription("Retries of failed trials.") RetryPolicy retry,
    @JsonPropertyDescription(
            "What every trial shares apart from the axes; cannot change once started.")
        Training training,
    @JsonPropertyDescription("How trainers run: image, resources, arguments.") Trainer trainer,
    @JsonPropertyDescription(
            "Stop the running trials and launch none (they run again as new attempts when"
                + " suspend is set back to false).")
        Boolean suspend) {

  /** What a trial is judged by. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Objective(
      @Required
          @JsonPropertyDescription("A metric the trainer reports, e.g. val_accuracy or val_loss.")
          @Pattern("^[A-Za-z0-9_.:-]{1,128}$")
          String metric,
      @Required @JsonPropertyDescription("maximize or minimize.") Goal goal,
      @JsonPropertyDescription("How a trial's values become its objective: max, min or last.")
          Reduce reduce,
      @JsonPropertyDescription("Stop the sweep once a finished trial reaches this value.")
          Double target) {}

  /** The axes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(oldSelf.method) || oldSelf.method.all(m, m in self.method)",
      message = "space.method may only grow once the sweep has started")
  @ValidationRule(
      value = "!has(oldSelf.activation) || oldSelf.activation.all(a, a in self.activation)",
      message = "space.activation may only grow once the sweep has started")
  @ValidationRule(
      value = "!has(oldSelf.depth) || oldSelf.depth.all(d, d in self.depth)",
      message = "space.depth may only grow once the sweep has started")
  @ValidationRule(
      value = "!has(oldSelf.width) || (has(self.width) && oldSelf.width.all(w, w in self.width))",
      message = "space.width may only grow once the sweep has started")
  @ValidationRule(
      value =
          "!has(oldSelf.dataset) || (has(self.dataset) && oldSelf.dataset.all(d, d in"
              + " self.dataset))",
      message = "space.dataset may only grow once the sweep has started")
  @ValidationRule(
      value =
          "has(self.epochs) == has(oldSelf.epochs) && (!has(self.epochs) || self.epochs =="
              + " oldSelf.epochs)",
      message = "space.epochs cannot change once the sweep has started")
  @ValidationRule(
      value = "!has(oldSelf.seeds) || (has(self.seeds) && self.seeds >= oldSelf.seeds)",
      message = "space.seeds may only grow once the sweep has started")
  public record SearchSpace(
      @Required
          @JsonPropertyDescription("Methods: dks, tat, standard, orthogonal.")
          @Size(min = 1, max = 4)
          List<Method> method,
      @Required
          @JsonPropertyDescription("Activation functions, e.g. tanh, softplus, leaky_relu, relu.")
          @Size(min = 1, max = 32)
          List<@Pattern("^[a-z][a-z0-9_]{0,31}$") String> activation,
      @Required
          @JsonPropertyDescription("Network depths (activation layers).")
          @Size(min = 1, max = 64)
          List<@Min(1) @Max(10000) Integer> depth,
      @JsonPropertyDescription("Layer widths (channels for cnn); default [128].")
          @Size(min = 1, max = 64)
          List<@Min(1) @Max(65536) Integer> width,
      @Required @JsonPropertyDescription("Learning rates: values, or a log-spaced range.")
          LearningRates learningRate,
      @JsonPropertyDescription(
              "Data sets: fashion-mnist, mnist, synthetic-teacher, synthetic-clusters.")
          @Size(min = 1, max = 4)
          List<@Pattern("^(fashion-mnist|mnist|synthetic-teacher|synthetic-clusters)$") String>
              dataset,
      @JsonPropertyDescription("Epochs per trial.") @Min(1) @Max(10000) Integer epochs,
      @JsonPropertyDescription("Seeds per cell (trial seeds 1..seeds).") @Min(1) @Max(1000)
          Integer seeds,
      @JsonPropertyDescription("Cells to leave out: a cell matching every field given.")
          @Size(max = 256)
          List<Exclusion> exclude) {}

  /** Learning rates as a list or a log-spaced range: exactly one of the two. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.values) != has(self.logRange)",
      message = "give either values or logRange")
  public record LearningRates(
      @JsonPropertyDescription("The rates, e.g. [0.0003, 0.001].") @Size(min = 1, max = 64)
          List<@Min(value = 0, inclusive = false) Double> values,
      @JsonPropertyDescription("count rates from min to max, evenly spaced in log scale.")
          LogRange logRange) {}

  /** A log-spaced range of learning rates. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(value = "self.max >= self.min", message = "max must be >= min")
  @ValidationRule(
      value = "self.count >= 2 || self.min == self.max",
      message = "count must be >= 2 when min and max differ")
  public record LogRange(
      @Required @Min(value = 0, inclusive = false) Double min,
      @Required @Min(value = 0, inclusive = false) Double max,
      @Required @Min(1) @Max(1000) Integer count) {}

  /** A cell to leave out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "has(self.method) || has(self.activation) || has(self.depth) || has(self.width) ||"
              + " has(self.learningRate) || has(self.dataset)",
      message = "name at least one of method, activation, depth, width, learningRate, dataset")
  public record Exclusion(
      @Pattern("^(dks|tat|standard|orthogonal|resnet-bn)$") String method,
      @Pattern("^[a-z][a-z0-9_]{0,31}$") String activation,
      @Min(1) Integer depth,
      @Min(1) Integer width,
      Double learningRate,
      @Pattern("^(fashion-mnist|mnist|synthetic-teacher|synthetic-clusters)$") String dataset) {}

  /** DKS and TAT parameters. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MethodParams(DksParams dks, TatParams tat) {}

  /** DKS: zeta bounds the network's C'(1); localQSlope the local Q map's slope. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DksParams(
      @JsonPropertyDescription("Network C'(1) target (default 1.5).")
          @Min(value = 1, inclusive = false)
          Double zeta,
      @JsonPropertyDescription("Local Q map slope at 1 (default 1).")
          @Min(value = 0, inclusive = false)
          Double localQSlope) {}

  /** TAT: tau (smooth activations) and eta (Leaky ReLU). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TatParams(
      @JsonPropertyDescription(
              "Smooth activations: the target of the network C map's C''(1) (default 0.3).")
          @Min(value = 0, inclusive = false)
          Double tau,
      @JsonPropertyDescription("Leaky ReLU: the target of the network C map's C(0) (default 0.9).")
          @Min(value = 0, inclusive = false)
          @Max(value = 1, inclusive = false)
          Double eta) {}

  /** How cells are chosen and ordered. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.type) || self.type != 'random' || has(self.samples)",
      message = "a random strategy needs samples (how many cells to draw)")
  @ValidationRule(
      value =
          "(has(self.type) ? self.type : 'grid') == (has(oldSelf.type) ? oldSelf.type :"
              + " 'grid')",
      message = "strategy.type cannot change once the sweep has started")
  @ValidationRule(
      value =
          "has(self.samples) == has(oldSelf.samples) && (!has(self.samples) ||"
              + " self.samples == oldSelf.samples)",
      message = "strategy.samples cannot change once the sweep has started")
  @ValidationRule(
      value =
          "has(self.seed) == has(oldSelf.seed) && (!has(self.seed) || self.seed =="
              + " oldSelf.seed)",
      message = "strategy.seed cannot change once the sweep has started")
  public record Strategy(
      @JsonPropertyDescription("grid (default) or random.") StrategyType type,
      @JsonPropertyDescription("random: the number of cells to draw.") @Min(1) @Max(1000000)
          Integer samples,
      @JsonPropertyDescription("random: the seed of the draw.") Long seed,
      @JsonPropertyDescription("as-listed (default) or predicted-trainability.")
          LaunchOrder order) {}

  /** What the preflight does with cells it cannot shape. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Preflight(
      @JsonPropertyDescription("Mark them Skipped (default true); false fails the sweep.")
          Boolean skipInfeasible) {}

  /** Limits on trials, failures and time. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Budget(
      @JsonPropertyDescription("Launch at most this many trials (retries not counted).")
          @Min(1)
          @Max(1000000)
          Integer maxTrials,
      @JsonPropertyDescription("The sweep fails when more trials than this failed for good.")
          @Min(0)
          @Max(1000000)
          Integer maxFailedTrials,
      @JsonPropertyDescription("e.g. 90m, 2h, 1h30m or PT2H: then running trials stop.")
          @Pattern("^(P[0-9A-Za-z.]+|([0-9]+(\\.[0-9]+)?(ms|s|m|h|d))+)$")
          String deadline) {}

  /** Early stopping. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EarlyStopping(
      @JsonPropertyDescription("none (default), median or asha.") StoppingRule rule,
      @JsonPropertyDescription("Epochs before a trial can be stopped; ASHA's first rung.")
          @Min(1)
          @Max(10000)
          Integer gracePeriod,
      @JsonPropertyDescription("ASHA: keep the best 1/reductionFactor at each rung.")
          @Min(2)
          @Max(100)
          Integer reductionFactor,
      @JsonPropertyDescription("median: how many other trials must have reached the epoch.") @Min(1)
          Integer minTrials,
      @JsonPropertyDescription("A diverged trial (non-finite loss) is final, not retried.")
          Boolean stopOnNonFinite) {}

  /** Retries. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RetryPolicy(
      @JsonPropertyDescription("How many times a failed trial is started again (default 1).")
          @Min(0)
          @Max(10)
          Integer maxRetries) {}

  /** What every trial shares apart from the axes. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Training(
      @JsonPropertyDescription("sgd, momentum or adam.") Optimizer optimizer,
      @JsonPropertyDescription("constant, cosine or step.") Schedule schedule,
      @Min(1) @Max(65536) Integer batchSize,
      @Min(0) Double weightDecay,
      @JsonPropertyDescription("Share of the training set held out for validation.")
          @Min(value = 0, inclusive = false)
          @Max(value = 1, inclusive = false)
          Double validationFraction,
      @JsonPropertyDescription("Use at most this many training examples.") @Min(1)
          Integer trainLimit,
      @JsonPropertyDescription("Per-location normalisation of the inputs (DKS 5.5).") Boolean pln,
      @JsonPropertyDescription("Stop each trial after this many steps.") @Min(1) Long maxSteps,
      @JsonPropertyDescription("Report the training loss every this many steps.")
          @Min(1)
          @Max(1000000)
          Integer reportEverySteps,
      @JsonPropertyDescription("A directory with the IDX files on the trainer's machine.")
          @Size(max = 4096)
          String dataPath,
      @JsonPropertyDescription("Where trainers download missing IDX files ({dataset} replaced).")
          @Pattern("^https?://[^ ]+$")
          @Size(max = 2048)
          String dataUrl,
      @JsonPropertyDescription("Expected SHA-256 (hex) per IDX file name.") @Size(max = 16)
          Map<String, @Pattern("^[0-9a-f]{64}$") String> dataSha256) {}

  /** How trainers run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trainer(
      @JsonPropertyDescription("The trainer image (cluster mode).") @Size(min = 1, max = 512)
          String image,
      @JsonPropertyDescription("Extra trainer arguments.") @Size(max = 32)
          List<@Size(max = 1024) String> args,
      @JsonPropertyDescription("Threads per trial (OMP_NUM_THREADS).") @Min(1) @Max(1024)
          Integer threads,
      @JsonPropertyDescription("JVM options of the trainer.") @Size(max = 32)
          List<@Size(max = 1024) String> jvmOptions,
      @JsonPropertyDescription("The trainer pod's requests and limits.") Resources resources,
      @JsonPropertyDescription(
              "Extra environment of every trainer (literal values; the runner's own variables,"
                  + " DKS_*, OMP_NUM_THREADS, JAVA_OPTS and HOME, are refused).")
          @Size(max = 64)
          List<EnvVar> env,
      @JsonPropertyDescription(
              "The Kueue LocalQueue of the trial Jobs (label kueue.x-k8s.io/queue-name; the Jobs"
                  + " are created suspended and Kueue admits them). Default: the operator's.")
          @Size(max = 63)
          @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
          String queueName,
      @JsonPropertyDescription(
              "Node labels the trainer pods require, added to the operator's defaults.")
          @Size(max = 32)
          Map<String, @Size(max = 63) String> nodeSelector,
      @JsonPropertyDescription(
              "Taints the trainer pods tolerate (e.g. nvidia.com/gpu), added to the operator's"
                  + " defaults.")
          @Size(max = 32)
          List<Toleration> tolerations,
      @JsonPropertyDescription("The trainer pods' affinity, as a pod spec writes it.")
          Affinity affinity,
      @JsonPropertyDescription("The trainer pods' PriorityClass. Default: the operator's.")
          @Size(max = 253)
          @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
          String priorityClassName,
      @JsonPropertyDescription(
              "The trainer pods' RuntimeClass (e.g. nvidia). Default: the operator's.")
          @Size(max = 253)
          @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
          String runtimeClassName,
      @JsonPropertyDescription(
              "Secrets of this namespace to pull the trainer image with, added to the operator's"
                  + " defaults.")
          @Size(max = 32)
          List<LocalObjectReference> imagePullSecrets,
      @JsonPropertyDescription("What happens to finished trial Jobs.") Cleanup cleanup) {}

  /** What happens to a finished attempt's Job. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Cleanup(
      @JsonPropertyDescription(
              "Keep a failed attempt's Job and pod (logs, events) for inspection instead of"
                  + " deleting them once the result is recorded; they go with the Sweep.")
          Boolean keepFailed) {}

  /** One environment variable of the trainer: a literal value (no valueFrom). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EnvVar(
      @Required
          @JsonPropertyDescription("The variable's name.")
          @Size(min = 1, max = 256)
          @Pattern("^[-._a-zA-Z][-._a-zA-Z0-9]*$")
          String name,
      @Required @JsonPropertyDescription("Its value.") @Size(max = 32768) String value) {}

  /** A trainer pod's resources. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Resources(
      @JsonPropertyDescription("CPU, e.g. 2 or 500m.") @Pattern("^([0-9]+(\\.[0-9]+)?|[0-9]+m)$")
          String cpu,
      @JsonPropertyDescription("Memory, e.g. 4Gi.")
          @Pattern("^[0-9]+(\\.[0-9]+)?([EPTGMK]i?|[mk])?$")
          String memory,
      @JsonPropertyDescription("GPUs per trial.") @Min(0) @Max(16) Integer gpu) {}
}
