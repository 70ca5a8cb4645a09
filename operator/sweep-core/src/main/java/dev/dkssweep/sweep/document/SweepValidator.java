package dev.dkssweep.sweep.document;

import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.StrategyType;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link SweepSpec} and returns every violation with its field path ({@code
 * space.depth[2]: must be >= 1}); never throws. A spec without violations can be {@link
 * SweepSpec#definition() resolved} and expanded.
 */
public final class SweepValidator {

  /** Metrics the trainer reports, and whether each is reported once per epoch. */
  public static final Map<String, Boolean> METRICS =
      Map.of(
          "val_accuracy", true,
          "val_loss", true,
          "train_accuracy", true,
          "train_loss_epoch", true,
          "train_loss", false);

  public static final int MAX_WIDTH = 65_536;
  public static final int MAX_EPOCHS = 10_000;
  public static final int MAX_SEEDS = 1_000;
  public static final int MAX_PARALLELISM = 1_024;
  public static final int MAX_RETRIES = 10;
  public static final int MAX_TRIALS = 1_000_000;
  public static final Set<String> BASELINES = Set.of(SweepSpec.RESNET_BN);

  private static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private SweepValidator() {}

  public static List<SpecViolation> validate(SweepSpec spec) {
    List<SpecViolation> v = new ArrayList<>();
    if (spec == null) {
      v.add(new SpecViolation("spec", "is required"));
      return v;
    }
    objective(v, spec.objective(), spec.earlyStopping());
    if (spec.architecture() == Architecture.RESNET_BN) {
      v.add(
          new SpecViolation(
              "architecture",
              "resnet-bn is a baseline, not an architecture; use architecture mlp (or cnn) and"
                  + " baselines: [resnet-bn]"));
    }
    SpaceValidator.space(v, spec.space());
    SpaceValidator.baselines(v, spec.baselines(), spec.architecture());
    SettingsValidator.methodParams(v, spec.methodParams());
    SettingsValidator.strategy(v, spec.strategy());
    if (spec.parallelism() != null) {
      FieldChecks.range(v, "parallelism", spec.parallelism(), 1, MAX_PARALLELISM);
    }
    SettingsValidator.budget(v, spec.budget());
    SettingsValidator.earlyStopping(v, spec.earlyStopping(), spec.space());
    if (spec.retry() != null && spec.retry().maxRetries() != null) {
      FieldChecks.range(v, "retry.maxRetries", spec.retry().maxRetries(), 0, MAX_RETRIES);
    }
    SettingsValidator.training(v, spec.training());
    SettingsValidator.trainer(v, spec.trainer());
    if (v.isEmpty()) {
      size(v, spec.definition());
    }
    return v;
  }

  private static void objective(
      List<SpecViolation> v, SweepSpec.Objective o, SweepSpec.EarlyStopping es) {
    if (o == null) {
      v.add(
          new SpecViolation(
              "objective", "is required, e.g. {metric: val_accuracy, goal: maximize}"));
      return;
    }
    if (o.metric() == null || o.metric().isBlank()) {
      v.add(new SpecViolation("objective.metric", "is required; one of " + metricNames()));
    } else if (!METRIC_NAME.matcher(o.metric()).matches() || !METRICS.containsKey(o.metric())) {
      v.add(
          new SpecViolation(
              "objective.metric",
              "the trainer does not report '" + o.metric() + "'; use one of " + metricNames()));
    } else if (es != null
        && es.rule() != null
        && es.rule() != StoppingRule.NONE
        && !METRICS.get(o.metric())) {
      v.add(
          new SpecViolation(
              "objective.metric",
              o.metric()
                  + " is not reported per epoch, which "
                  + es.rule().code()
                  + " early stopping needs; use val_accuracy, val_loss, train_accuracy or"
                  + " train_loss_epoch"));
    }
    if (o.goal() == null) {
      v.add(new SpecViolation("objective.goal", "is required: maximize or minimize"));
    } else if (o.metric() != null && o.metric().contains("loss") && o.goal() == Goal.MAXIMIZE) {
      v.add(new SpecViolation("objective.goal", "a loss is minimized; use goal: minimize"));
    } else if (o.metric() != null && o.metric().contains("accuracy") && o.goal() == Goal.MINIMIZE) {
      v.add(new SpecViolation("objective.goal", "an accuracy is maximized; use goal: maximize"));
    }
    if (o.goal() != null
        && o.reduce() != null
        && o.reduce() != Reduce.LAST
        && o.reduce() != (o.goal() == Goal.MAXIMIZE ? Reduce.MAX : Reduce.MIN)) {
      v.add(
          new SpecViolation(
              "objective.reduce",
              "must be last or the goal's best ("
                  + (o.goal() == Goal.MAXIMIZE ? "max" : "min")
                  + "), got "
                  + o.reduce().code()));
    }
    if (o.target() != null && !Double.isFinite(o.target())) {
      v.add(new SpecViolation("objective.target", "must be a finite number, got " + o.target()));
    }
  }

  /**
   * At most {@link #MAX_TRIALS} trials: cells (the grid's product, or the random samples) times
   * seeds, in saturating arithmetic, so that no grid is large enough to wrap around and pass.
   */
  private static void size(List<SpecViolation> v, SweepDefinition resolved) {
    boolean grid = resolved.strategy().type() == StrategyType.GRID;
    long cells =
        grid ? CellExpander.gridProduct(resolved) : resolved.strategy().samples().orElse(0);
    long trials = saturatedProduct(cells, resolved.space().seeds());
    if (trials > MAX_TRIALS) {
      v.add(
          new SpecViolation(
              "space",
              "expands to "
                  + (trials == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : trials)
                  + " trials, more than "
                  + MAX_TRIALS
                  + (grid
                      ? "; use fewer values, exclude cells or strategy type random"
                      : "; draw fewer samples or use fewer seeds")));
    } else if (CellExpander.expand(resolved).isEmpty()) {
      v.add(new SpecViolation("space.exclude", "excludes every cell of the space"));
    }
  }

  private static long saturatedProduct(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return high != 0 || low < 0 ? Long.MAX_VALUE : low;
  }

  private static String metricNames() {
    return METRICS.keySet().stream().sorted().toList().toString();
  }
}
