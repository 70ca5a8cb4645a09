package dev.dkssweep.sweep.document;

import static dev.dkssweep.sweep.document.Defaults.or;

import dev.dkssweep.dks.shaping.ShapingMethod;
import dev.dkssweep.sweep.model.Durations;
import dev.dkssweep.sweep.model.LaunchOrder;
import dev.dkssweep.sweep.model.StoppingRule;
import dev.dkssweep.sweep.model.StrategyType;
import dev.dkssweep.sweep.model.SweepDefinition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The boundary between the user's document and the definition: {@link #resolve} fills every default
 * of a validated {@link SweepSpec} in (the values of {@link Defaults}), once; {@link #toDocument}
 * writes a definition back as a spec with every field given, which is what the store keeps and what
 * {@link #resolve} reads back to the same definition.
 */
public final class SweepDefinitionMapper {

  private SweepDefinitionMapper() {}

  /**
   * The definition of a spec {@link SweepValidator} found nothing wrong with.
   *
   * @throws IllegalArgumentException when a required field is missing (an unvalidated spec)
   */
  public static SweepDefinition resolve(SweepSpec s) {
    if (s.objective() == null || s.space() == null) {
      throw new IllegalArgumentException("objective and space are required; validate first");
    }
    SweepSpec.MethodParams mp = or(s.methodParams(), new SweepSpec.MethodParams(null, null));
    SweepSpec.DksParams dks = or(mp.dks(), new SweepSpec.DksParams(null, null));
    SweepSpec.TatParams tat = or(mp.tat(), new SweepSpec.TatParams(null, null));
    SweepSpec.Strategy st = or(s.strategy(), new SweepSpec.Strategy(null, null, null, null));
    SweepSpec.PreflightPolicy pf = or(s.preflight(), new SweepSpec.PreflightPolicy(null));
    return new SweepDefinition(
        objective(s.objective()),
        or(s.architecture(), Defaults.ARCHITECTURE),
        space(s.space()),
        new SweepDefinition.MethodParams(
            or(dks.zeta(), ShapingMethod.Dks.DEFAULT_ZETA),
            or(dks.localQSlope(), ShapingMethod.Dks.DEFAULT_LOCAL_Q_SLOPE),
            or(tat.tau(), ShapingMethod.Tat.DEFAULT_TAU),
            or(tat.eta(), ShapingMethod.Tat.DEFAULT_ETA)),
        or(s.baselines(), List.of()),
        new SweepDefinition.Strategy(
            or(st.type(), StrategyType.GRID),
            optionalInt(st.samples()),
            or(st.seed(), Defaults.RANDOM_SEED),
            or(st.order(), LaunchOrder.AS_LISTED)),
        or(pf.skipInfeasible(), Boolean.TRUE),
        or(s.parallelism(), Defaults.PARALLELISM),
        budget(s.budget()),
        earlyStopping(s.earlyStopping()),
        or(s.retry() == null ? null : s.retry().maxRetries(), Defaults.MAX_RETRIES),
        training(s.training()),
        trainer(s.trainer()));
  }

  private static SweepDefinition.Objective objective(SweepSpec.Objective o) {
    return new SweepDefinition.Objective(
        o.metric(),
        o.goal(),
        or(o.reduce(), Defaults.REDUCE),
        o.target() == null ? OptionalDouble.empty() : OptionalDouble.of(o.target()));
  }

  private static SweepDefinition.SearchSpace space(SweepSpec.SearchSpace sp) {
    SweepSpec.LearningRates lr = sp.learningRate();
    SweepDefinition.LearningRates rates =
        lr.values() != null
            ? new SweepDefinition.LearningRates.Listed(lr.values())
            : new SweepDefinition.LearningRates.LogRange(
                lr.logRange().min(), lr.logRange().max(), lr.logRange().count());
    return new SweepDefinition.SearchSpace(
        sp.method(),
        sp.activation(),
        sp.depth(),
        or(sp.width(), Defaults.WIDTH),
        rates,
        or(sp.dataset(), Defaults.DATASET),
        or(sp.epochs(), Defaults.EPOCHS),
        or(sp.seeds(), Defaults.SEEDS),
        or(sp.exclude(), List.<SweepSpec.Exclusion>of()).stream()
            .map(SweepDefinitionMapper::exclusion)
            .toList());
  }

  private static SweepDefinition.Exclusion exclusion(SweepSpec.Exclusion e) {
    return new SweepDefinition.Exclusion(
        Optional.ofNullable(e.method()),
        Optional.ofNullable(e.activation()),
        optionalInt(e.depth()),
        optionalInt(e.width()),
        e.learningRate() == null ? OptionalDouble.empty() : OptionalDouble.of(e.learningRate()),
        Optional.ofNullable(e.dataset()));
  }

  private static SweepDefinition.Budget budget(SweepSpec.Budget b) {
    if (b == null) {
      b = new SweepSpec.Budget(null, null, null);
    }
    return new SweepDefinition.Budget(
        optionalInt(b.maxTrials()),
        optionalInt(b.maxFailedTrials()),
        Optional.ofNullable(b.deadline()).map(Durations::parse));
  }

  private static SweepDefinition.EarlyStopping earlyStopping(SweepSpec.EarlyStopping es) {
    if (es == null) {
      es = new SweepSpec.EarlyStopping(null, null, null, null, null);
    }
    return new SweepDefinition.EarlyStopping(
        or(es.rule(), StoppingRule.NONE),
        or(es.gracePeriod(), Defaults.GRACE_PERIOD),
        or(es.reductionFactor(), Defaults.REDUCTION_FACTOR),
        or(es.minTrials(), Defaults.MIN_TRIALS),
        or(es.stopOnNonFinite(), Boolean.TRUE));
  }

  private static SweepDefinition.Training training(SweepSpec.Training t) {
    if (t == null) {
      t =
          new SweepSpec.Training(
              null, null, null, null, null, null, null, null, null, null, null, null);
    }
    return new SweepDefinition.Training(
        or(t.optimizer(), Defaults.OPTIMIZER),
        or(t.schedule(), Defaults.SCHEDULE),
        or(t.batchSize(), Defaults.BATCH_SIZE),
        or(t.weightDecay(), 0.0),
        or(t.validationFraction(), Defaults.VALIDATION_FRACTION),
        optionalInt(t.trainLimit()),
        or(t.pln(), Boolean.TRUE),
        t.maxSteps() == null ? OptionalLong.empty() : OptionalLong.of(t.maxSteps()),
        or(t.reportEverySteps(), Defaults.REPORT_EVERY_STEPS),
        Optional.ofNullable(t.dataPath()),
        Optional.ofNullable(t.dataUrl()),
        or(t.dataSha256(), Map.of()));
  }

  private static SweepDefinition.Trainer trainer(SweepSpec.TrainerSettings t) {
    if (t == null) {
      t = new SweepSpec.TrainerSettings(null, null, null, null, null);
    }
    SweepSpec.Resources r = t.resources();
    return new SweepDefinition.Trainer(
        or(t.image(), Defaults.IMAGE),
        or(t.args(), List.of()),
        optionalInt(t.threads()),
        or(t.jvmOptions(), Defaults.JVM_OPTIONS),
        r == null
            ? SweepDefinition.Resources.NONE
            : new SweepDefinition.Resources(
                Optional.ofNullable(r.cpu()),
                Optional.ofNullable(r.memory()),
                optionalInt(r.gpu())),
        or(t.env(), List.<SweepSpec.EnvVar>of()).stream()
            .map(e -> new SweepDefinition.EnvVar(e.name(), e.value()))
            .toList(),
        new SweepDefinition.Placement(
            Optional.ofNullable(t.queueName()),
            or(t.nodeSelector(), Map.of()),
            or(t.tolerations(), List.of()),
            or(t.affinity(), Map.of()),
            Optional.ofNullable(t.priorityClassName()),
            Optional.ofNullable(t.runtimeClassName()),
            or(t.imagePullSecrets(), List.<SweepSpec.NameRef>of()).stream()
                .map(SweepSpec.NameRef::name)
                .toList()),
        t.cleanup() != null && Boolean.TRUE.equals(t.cleanup().keepFailed()));
  }

  /** The definition as a spec with every default written out: the form the store keeps. */
  public static SweepSpec toDocument(SweepDefinition d) {
    SweepDefinition.Objective o = d.objective();
    SweepDefinition.SearchSpace sp = d.space();
    SweepDefinition.Strategy st = d.strategy();
    SweepDefinition.Budget b = d.budget();
    SweepDefinition.EarlyStopping es = d.earlyStopping();
    SweepDefinition.MethodParams mp = d.methodParams();
    return new SweepSpec(
        new SweepSpec.Objective(
            o.metric(),
            o.goal(),
            o.reduce(),
            o.target().isPresent() ? o.target().getAsDouble() : null),
        d.architecture(),
        new SweepSpec.SearchSpace(
            sp.methods(),
            sp.activations(),
            sp.depths(),
            sp.widths(),
            learningRates(sp.learningRates()),
            sp.datasets(),
            sp.epochs(),
            sp.seeds(),
            sp.exclusions().stream().map(SweepDefinitionMapper::exclusion).toList()),
        new SweepSpec.MethodParams(
            new SweepSpec.DksParams(mp.zeta(), mp.localQSlope()),
            new SweepSpec.TatParams(mp.tau(), mp.eta())),
        d.baselines(),
        new SweepSpec.Strategy(st.type(), boxed(st.samples()), st.seed(), st.order()),
        new SweepSpec.PreflightPolicy(d.skipInfeasible()),
        d.parallelism(),
        new SweepSpec.Budget(
            boxed(b.maxTrials()),
            boxed(b.maxFailedTrials()),
            b.deadline().map(Durations::format).orElse(null)),
        new SweepSpec.EarlyStopping(
            es.rule(),
            es.gracePeriod(),
            es.reductionFactor(),
            es.minTrials(),
            es.stopOnNonFinite()),
        new SweepSpec.RetryPolicy(d.maxRetries()),
        training(d.training()),
        trainer(d.trainer()));
  }

  private static SweepSpec.LearningRates learningRates(SweepDefinition.LearningRates lr) {
    return lr instanceof SweepDefinition.LearningRates.LogRange r
        ? new SweepSpec.LearningRates(
            null, new SweepSpec.LearningRates.LogRange(r.min(), r.max(), r.count()))
        : new SweepSpec.LearningRates(lr.values(), null);
  }

  private static SweepSpec.Exclusion exclusion(SweepDefinition.Exclusion e) {
    return new SweepSpec.Exclusion(
        e.arm().orElse(null),
        e.activation().orElse(null),
        boxed(e.depth()),
        boxed(e.width()),
        e.learningRate().isPresent() ? e.learningRate().getAsDouble() : null,
        e.dataset().orElse(null));
  }

  private static SweepSpec.Training training(SweepDefinition.Training t) {
    return new SweepSpec.Training(
        t.optimizer(),
        t.schedule(),
        t.batchSize(),
        t.weightDecay(),
        t.validationFraction(),
        boxed(t.trainLimit()),
        t.pln(),
        t.maxSteps().isPresent() ? t.maxSteps().getAsLong() : null,
        t.reportEverySteps(),
        t.dataPath().orElse(null),
        t.dataUrl().orElse(null),
        t.dataSha256().isEmpty() ? null : t.dataSha256());
  }

  private static SweepSpec.TrainerSettings trainer(SweepDefinition.Trainer t) {
    SweepDefinition.Resources r = t.resources();
    SweepDefinition.Placement p = t.placement();
    return new SweepSpec.TrainerSettings(
        t.image(),
        t.args(),
        boxed(t.threads()),
        t.jvmOptions(),
        r.equals(SweepDefinition.Resources.NONE)
            ? null
            : new SweepSpec.Resources(
                r.cpu().orElse(null), r.memory().orElse(null), boxed(r.gpu())),
        t.env().isEmpty()
            ? null
            : t.env().stream().map(e -> new SweepSpec.EnvVar(e.name(), e.value())).toList(),
        p.queueName().orElse(null),
        p.nodeSelector().isEmpty() ? null : p.nodeSelector(),
        p.tolerations().isEmpty() ? null : p.tolerations(),
        p.affinity().isEmpty() ? null : p.affinity(),
        p.priorityClassName().orElse(null),
        p.runtimeClassName().orElse(null),
        p.imagePullSecrets().isEmpty()
            ? null
            : p.imagePullSecrets().stream().map(SweepSpec.NameRef::new).toList(),
        t.keepFailed() ? new SweepSpec.Cleanup(true) : null);
  }

  private static OptionalInt optionalInt(Integer x) {
    return x == null ? OptionalInt.empty() : OptionalInt.of(x);
  }

  private static Integer boxed(OptionalInt x) {
    return x.isPresent() ? x.getAsInt() : null;
  }
}
