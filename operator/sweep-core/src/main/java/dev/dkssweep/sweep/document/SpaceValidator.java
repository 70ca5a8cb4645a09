package dev.dkssweep.sweep.document;

import static dev.dkssweep.sweep.document.FieldChecks.eachDistinct;
import static dev.dkssweep.sweep.document.FieldChecks.nonEmpty;
import static dev.dkssweep.sweep.document.FieldChecks.positive;
import static dev.dkssweep.sweep.document.FieldChecks.range;
import static dev.dkssweep.sweep.document.FieldChecks.requiredList;
import static dev.dkssweep.sweep.document.SweepValidator.BASELINES;
import static dev.dkssweep.sweep.document.SweepValidator.MAX_EPOCHS;
import static dev.dkssweep.sweep.document.SweepValidator.MAX_SEEDS;
import static dev.dkssweep.sweep.document.SweepValidator.MAX_WIDTH;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialSpecValidator;
import java.util.List;
import java.util.Objects;

/**
 * {@link SweepValidator}'s checks of the search space: axes, learning rates, exclusions, baselines.
 */
final class SpaceValidator {

  private SpaceValidator() {}

  static void space(List<SpecViolation> v, SweepSpec.SearchSpace s) {
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

  static void activation(List<SpecViolation> v, String path, String name) {
    try {
      Activations.byName(name);
    } catch (InvalidArgumentException e) {
      v.add(new SpecViolation(path, e.getMessage().replaceFirst("^activation: ", "")));
    }
  }

  static void learningRates(List<SpecViolation> v, SweepSpec.LearningRates lr) {
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

  static void exclusion(List<SpecViolation> v, String path, SweepSpec.Exclusion e) {
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
    if (e.learningRate() != null && !(Double.isFinite(e.learningRate()) && e.learningRate() > 0)) {
      v.add(
          new SpecViolation(
              path + ".learningRate",
              "must be a positive finite number (a learning rate of the space), got "
                  + e.learningRate()));
    }
  }

  static void baselines(List<SpecViolation> v, List<String> baselines, Architecture architecture) {
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
}
