package dev.dkssweep.sweep.document;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.Durations;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.StrategyType;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialSpecValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
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
    space(v, spec.space());
    baselines(v, spec.baselines(), spec.architecture());
    methodParams(v, spec.methodParams());
    strategy(v, spec.strategy());
    if (spec.parallelism() != null) {
      range(v, "parallelism", spec.parallelism(), 1, MAX_PARALLELISM);
    }
    budget(v, spec.budget());
    earlyStopping(v, spec.earlyStopping(), spec.space());
    if (spec.retry() != null && spec.retry().maxRetries() != null) {
      range(v, "retry.maxRetries", spec.retry().maxRetries(), 0, MAX_RETRIES);
    }
    training(v, spec.training());
    trainer(v, spec.trainer());
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

  private static void space(List<SpecViolation> v, SweepSpec.SearchSpace s) {
    if (s == null) {
      v.add(
          new SpecViolation(
              "space", "is required: method, activation, depth and learningRate at least"));
      return;
    }
    requiredList(v, "space.method", s.method(), "dks, tat, standard or orthogonal");
    eachDistinct(
        v,
        "space.method",
        s.method(),
        (path, m) -> {
          if (m == null) {
            v.add(new SpecViolation(path, "must be dks, tat, standard or orthogonal"));
          }
        });
    requiredList(v, "space.activation", s.activation(), "e.g. tanh");
    eachDistinct(v, "space.activation", s.activation(), (path, a) -> activation(v, path, a));
    requiredList(v, "space.depth", s.depth(), "e.g. [10, 50]");
    eachDistinct(
        v,
        "space.depth",
        s.depth(),
        (path, d) -> range(v, path, d, 1, TrialSpecValidator.MAX_DEPTH));
    if (s.width() != null) {
      nonEmpty(v, "space.width", s.width());
      eachDistinct(v, "space.width", s.width(), (path, w) -> range(v, path, w, 1, MAX_WIDTH));
    }
    learningRates(v, s.learningRate());
    if (s.dataset() != null) {
      nonEmpty(v, "space.dataset", s.dataset());
      eachDistinct(
          v,
          "space.dataset",
          s.dataset(),
          (path, d) -> {
            if (d == null || !TrialSpecValidator.DATASETS.contains(d)) {
              v.add(
                  new SpecViolation(
                      path,
                      "unknown dataset '"
                          + d
                          + "'; use one of "
                          + TrialSpecValidator.DATASETS.stream().sorted().toList()));
            }
          });
    }
    if (s.epochs() != null) {
      range(v, "space.epochs", s.epochs(), 1, MAX_EPOCHS);
    }
    if (s.seeds() != null) {
      range(v, "space.seeds", s.seeds(), 1, MAX_SEEDS);
    }
    if (s.exclude() != null) {
      for (int i = 0; i < s.exclude().size(); i++) {
        exclusion(v, "space.exclude[" + i + "]", s.exclude().get(i));
      }
    }
  }

  private static void activation(List<SpecViolation> v, String path, String name) {
    try {
      Activations.byName(name);
    } catch (InvalidArgumentException e) {
      v.add(new SpecViolation(path, e.getMessage().replaceFirst("^activation: ", "")));
    }
  }

  private static void learningRates(List<SpecViolation> v, SweepSpec.LearningRates lr) {
    String f = "space.learningRate";
    if (lr == null) {
      v.add(
          new SpecViolation(
              f, "is required: a list ([0.1, 0.01]) or {logRange: {min, max, count}}"));
      return;
    }
    if (lr.values() != null && lr.logRange() != null) {
      v.add(new SpecViolation(f, "give either values or logRange, not both"));
      return;
    }
    if (lr.values() != null) {
      nonEmpty(v, f, lr.values());
      eachDistinct(v, f, lr.values(), (path, x) -> positive(v, path, x));
      return;
    }
    SweepSpec.LearningRates.LogRange r = lr.logRange();
    if (r == null) {
      v.add(new SpecViolation(f, "give values or logRange"));
      return;
    }
    positive(v, f + ".logRange.min", r.min());
    positive(v, f + ".logRange.max", r.max());
    if (r.min() != null && r.max() != null && r.max() < r.min()) {
      v.add(
          new SpecViolation(
              f + ".logRange.max", "must be >= min (" + r.min() + "), got " + r.max()));
    }
    if (r.count() == null) {
      v.add(new SpecViolation(f + ".logRange.count", "is required (how many rates)"));
    } else {
      range(v, f + ".logRange.count", r.count(), 1, 1_000);
      if (r.count() == 1 && !Objects.equals(r.min(), r.max())) {
        v.add(new SpecViolation(f + ".logRange.count", "must be >= 2 when min and max differ"));
      }
    }
  }

  private static void exclusion(List<SpecViolation> v, String path, SweepSpec.Exclusion e) {
    if (e == null
        || (e.method() == null
            && e.activation() == null
            && e.depth() == null
            && e.width() == null
            && e.learningRate() == null
            && e.dataset() == null)) {
      v.add(
          new SpecViolation(
              path,
              "name at least one of method, activation, depth, width, learningRate, dataset"));
      return;
    }
    if (e.method() != null && !BASELINES.contains(e.method())) {
      try {
        Method.of(e.method());
      } catch (IllegalArgumentException x) {
        v.add(
            new SpecViolation(
                path + ".method", x.getMessage().replace("; use one of", "; use") + ", resnet-bn"));
      }
    }
    if (e.activation() != null) {
      activation(v, path + ".activation", e.activation());
    }
  }

  private static void baselines(
      List<SpecViolation> v, List<String> baselines, Architecture architecture) {
    if (baselines == null) {
      return;
    }
    eachDistinct(
        v,
        "baselines",
        baselines,
        (path, b) -> {
          if (!BASELINES.contains(b)) {
            v.add(new SpecViolation(path, "unknown baseline '" + b + "'; use resnet-bn"));
          }
        });
  }

  private static void methodParams(List<SpecViolation> v, SweepSpec.MethodParams p) {
    if (p == null) {
      return;
    }
    if (p.dks() != null) {
      Double zeta = p.dks().zeta();
      if (zeta != null && (!(zeta > 1) || zeta.isInfinite())) {
        v.add(
            new SpecViolation("methodParams.dks.zeta", "must be a finite number > 1, got " + zeta));
      }
      Double slope = p.dks().localQSlope();
      if (slope != null && !(slope > 0 && Double.isFinite(slope))) {
        v.add(
            new SpecViolation(
                "methodParams.dks.localQSlope", "must be a finite number > 0, got " + slope));
      }
    }
    if (p.tat() != null) {
      Double tau = p.tat().tau();
      if (tau != null && (!(tau > 0) || tau.isInfinite())) {
        v.add(new SpecViolation("methodParams.tat.tau", "must be a finite number > 0, got " + tau));
      }
      Double eta = p.tat().eta();
      if (eta != null && !(eta >= 0 && eta <= 1)) {
        v.add(new SpecViolation("methodParams.tat.eta", "must be in [0, 1], got " + eta));
      }
    }
  }

  private static void strategy(List<SpecViolation> v, SweepSpec.Strategy s) {
    if (s == null) {
      return;
    }
    if (s.type() == StrategyType.RANDOM) {
      if (s.samples() == null) {
        v.add(new SpecViolation("strategy.samples", "is required with type random"));
      } else {
        range(v, "strategy.samples", s.samples(), 1, MAX_TRIALS);
      }
    } else if (s.samples() != null) {
      v.add(
          new SpecViolation(
              "strategy.samples", "only applies to type random; remove it or set type: random"));
    }
  }

  private static void budget(List<SpecViolation> v, SweepSpec.Budget b) {
    if (b == null) {
      return;
    }
    if (b.maxTrials() != null) {
      range(v, "budget.maxTrials", b.maxTrials(), 1, MAX_TRIALS);
    }
    if (b.maxFailedTrials() != null) {
      range(v, "budget.maxFailedTrials", b.maxFailedTrials(), 0, MAX_TRIALS);
    }
    if (b.deadline() != null) {
      try {
        Duration d = Durations.parse(b.deadline());
        if (d.isZero() || d.isNegative()) {
          v.add(new SpecViolation("budget.deadline", "must be positive, got " + b.deadline()));
        }
      } catch (IllegalArgumentException e) {
        v.add(new SpecViolation("budget.deadline", e.getMessage()));
      }
    }
  }

  private static void earlyStopping(
      List<SpecViolation> v, SweepSpec.EarlyStopping e, SweepSpec.SearchSpace space) {
    if (e == null) {
      return;
    }
    if (e.gracePeriod() != null) {
      range(v, "earlyStopping.gracePeriod", e.gracePeriod(), 1, MAX_EPOCHS);
      int epochs = space == null || space.epochs() == null ? Defaults.EPOCHS : space.epochs();
      if (e.rule() != null && e.rule() != StoppingRule.NONE && e.gracePeriod() >= epochs) {
        v.add(
            new SpecViolation(
                "earlyStopping.gracePeriod",
                "must be < space.epochs ("
                    + epochs
                    + ") or the rule never applies, got "
                    + e.gracePeriod()));
      }
    }
    if (e.reductionFactor() != null) {
      range(v, "earlyStopping.reductionFactor", e.reductionFactor(), 2, 100);
    }
    if (e.minTrials() != null) {
      range(v, "earlyStopping.minTrials", e.minTrials(), 1, MAX_TRIALS);
    }
  }

  private static void training(List<SpecViolation> v, SweepSpec.Training t) {
    if (t == null) {
      return;
    }
    if (t.batchSize() != null) {
      range(v, "training.batchSize", t.batchSize(), 1, 65_536);
    }
    if (t.weightDecay() != null && !(t.weightDecay() >= 0 && Double.isFinite(t.weightDecay()))) {
      v.add(
          new SpecViolation(
              "training.weightDecay", "must be a finite number >= 0, got " + t.weightDecay()));
    }
    if (t.validationFraction() != null
        && !(t.validationFraction() > 0 && t.validationFraction() < 1)) {
      v.add(
          new SpecViolation(
              "training.validationFraction",
              "must be between 0 and 1 (exclusive), got " + t.validationFraction()));
    }
    if (t.trainLimit() != null) {
      range(v, "training.trainLimit", t.trainLimit(), 1, Integer.MAX_VALUE);
    }
    if (t.maxSteps() != null && t.maxSteps() < 1) {
      v.add(new SpecViolation("training.maxSteps", "must be >= 1, got " + t.maxSteps()));
    }
    if (t.reportEverySteps() != null) {
      range(v, "training.reportEverySteps", t.reportEverySteps(), 1, 1_000_000);
    }
    TrialSpecValidator.dataSource(
        v, null, t.dataUrl(), t.dataSha256(), "training.dataUrl", "training.dataSha256");
  }

  private static void trainer(List<SpecViolation> v, SweepSpec.TrainerSettings t) {
    if (t == null) {
      return;
    }
    if (t.threads() != null) {
      range(v, "trainer.threads", t.threads(), 1, 1_024);
    }
    if (t.image() != null && t.image().isBlank()) {
      v.add(new SpecViolation("trainer.image", "must not be blank; leave it out for the default"));
    }
    each(
        v,
        "trainer.jvmOptions",
        t.jvmOptions(),
        (path, o) -> {
          if (o == null || o.isBlank() || !o.startsWith("-")) {
            v.add(new SpecViolation(path, "must be a JVM option starting with '-', got " + o));
          }
        });
    each(
        v,
        "trainer.args",
        t.args(),
        (path, a) -> {
          if (a == null) {
            v.add(new SpecViolation(path, "must not be null"));
          }
        });
    if (t.resources() != null && t.resources().gpu() != null && t.resources().gpu() < 0) {
      v.add(new SpecViolation("trainer.resources.gpu", "must be >= 0, got " + t.resources().gpu()));
    }
  }

  private static void size(List<SpecViolation> v, SweepDefinition resolved) {
    long product = CellExpander.gridProduct(resolved);
    if (resolved.strategy().type() == StrategyType.GRID
        && product * resolved.space().seeds() > MAX_TRIALS) {
      long trials = product * resolved.space().seeds();
      v.add(
          new SpecViolation(
              "space",
              "expands to "
                  + trials
                  + " trials, more than "
                  + MAX_TRIALS
                  + "; use fewer values, exclude cells or strategy type random"));
    } else if (CellExpander.expand(resolved).isEmpty()) {
      v.add(new SpecViolation("space.exclude", "excludes every cell of the space"));
    }
  }

  private static String metricNames() {
    return METRICS.keySet().stream().sorted().toList().toString();
  }

  private static <T> void requiredList(
      List<SpecViolation> v, String path, List<T> list, String hint) {
    if (list == null) {
      v.add(new SpecViolation(path, "is required: " + hint));
    } else {
      nonEmpty(v, path, list);
    }
  }

  private static void nonEmpty(List<SpecViolation> v, String path, List<?> list) {
    if (list.isEmpty()) {
      v.add(new SpecViolation(path, "must list at least one value"));
    }
  }

  private static <T> void each(
      List<SpecViolation> v, String path, List<T> list, BiConsumer<String, T> check) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      check.accept(path + "[" + i + "]", list.get(i));
    }
  }

  private static <T> void eachDistinct(
      List<SpecViolation> v, String path, List<T> list, BiConsumer<String, T> check) {
    if (list == null) {
      return;
    }
    Set<T> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      T item = list.get(i);
      String p = path + "[" + i + "]";
      check.accept(p, item);
      if (item != null && !seen.add(item)) {
        v.add(new SpecViolation(p, "repeats " + item + "; list each value once"));
      }
    }
  }

  private static void range(List<SpecViolation> v, String path, Integer x, int min, int max) {
    if (x == null) {
      v.add(new SpecViolation(path, "must be a whole number between " + min + " and " + max));
    } else if (x < min || x > max) {
      v.add(new SpecViolation(path, "must be between " + min + " and " + max + ", got " + x));
    }
  }

  private static void positive(List<SpecViolation> v, String path, Double x) {
    if (x == null || !(x > 0) || x.isInfinite()) {
      v.add(new SpecViolation(path, "must be a finite number > 0, got " + x));
    }
  }
}
