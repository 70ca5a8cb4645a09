package dev.dkssweep.sweep.document;

import static dev.dkssweep.sweep.document.FieldChecks.each;
import static dev.dkssweep.sweep.document.FieldChecks.range;
import static dev.dkssweep.sweep.document.SweepValidator.MAX_EPOCHS;
import static dev.dkssweep.sweep.document.SweepValidator.MAX_TRIALS;

import dev.dkssweep.sweep.model.Durations;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.StrategyType;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialSpecValidator;
import java.time.Duration;
import java.util.List;

/**
 * {@link SweepValidator}'s checks of how a sweep runs: method parameters, strategy, budget, early
 * stopping, training and trainer settings.
 */
final class SettingsValidator {

  private SettingsValidator() {}

  static void methodParams(List<SpecViolation> v, SweepSpec.MethodParams p) {
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

  static void strategy(List<SpecViolation> v, SweepSpec.Strategy s) {
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

  static void budget(List<SpecViolation> v, SweepSpec.Budget b) {
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

  static void earlyStopping(
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

  static void training(List<SpecViolation> v, SweepSpec.Training t) {
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

  static void trainer(List<SpecViolation> v, SweepSpec.TrainerSettings t) {
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
    TrainerChecks.env(v, t.env());
    TrainerChecks.placement(v, t);
  }
}
