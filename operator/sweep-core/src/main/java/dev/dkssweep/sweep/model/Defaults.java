package dev.dkssweep.sweep.model;

import dev.dkssweep.dks.shaping.ShapingMethod;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import java.util.List;

/** The defaults of a {@link SweepSpec}, in one place (docs/sweep-spec.md lists the same values). */
public final class Defaults {

  public static final Reduce REDUCE = Reduce.LAST;
  public static final Architecture ARCHITECTURE = Architecture.MLP;
  public static final List<Integer> WIDTH = List.of(128);
  public static final List<String> DATASET = List.of("fashion-mnist");
  public static final int EPOCHS = 5;
  public static final int SEEDS = 1;
  public static final int PARALLELISM = 1;
  public static final int GRACE_PERIOD = 1;
  public static final int REDUCTION_FACTOR = 3;
  public static final int MIN_TRIALS = 3;
  public static final int MAX_RETRIES = 1;
  public static final long RANDOM_SEED = 0;
  public static final Optimizer OPTIMIZER = Optimizer.ADAM;
  public static final Schedule SCHEDULE = Schedule.COSINE;
  public static final int BATCH_SIZE = 128;
  public static final double VALIDATION_FRACTION = 0.1;
  public static final int REPORT_EVERY_STEPS = 50;
  public static final String IMAGE = "ghcr.io/dks-sweep/trainer:0.1.0";
  public static final List<String> JVM_OPTIONS = List.of("-Xmx1g");

  private Defaults() {}

  static SweepSpec resolve(SweepSpec s) {
    SweepSpec.Objective o = s.objective();
    SweepSpec.SearchSpace sp = s.space();
    SweepSpec.Strategy st = or(s.strategy(), new SweepSpec.Strategy(null, null, null, null));
    SweepSpec.Budget b = or(s.budget(), new SweepSpec.Budget(null, null, null));
    SweepSpec.EarlyStopping es =
        or(s.earlyStopping(), new SweepSpec.EarlyStopping(null, null, null, null, null));
    SweepSpec.Training t =
        or(
            s.training(),
            new SweepSpec.Training(
                null, null, null, null, null, null, null, null, null, null, null, null));
    SweepSpec.TrainerSettings tr =
        or(s.trainer(), new SweepSpec.TrainerSettings(null, null, null, null, null));
    SweepSpec.MethodParams mp = or(s.methodParams(), new SweepSpec.MethodParams(null, null));
    SweepSpec.DksParams dks = or(mp.dks(), new SweepSpec.DksParams(null, null));
    SweepSpec.TatParams tat = or(mp.tat(), new SweepSpec.TatParams(null, null));
    return new SweepSpec(
        new SweepSpec.Objective(o.metric(), o.goal(), or(o.reduce(), REDUCE), o.target()),
        or(s.architecture(), ARCHITECTURE),
        new SweepSpec.SearchSpace(
            sp.method(),
            sp.activation(),
            sp.depth(),
            or(sp.width(), WIDTH),
            sp.learningRate(),
            or(sp.dataset(), DATASET),
            or(sp.epochs(), EPOCHS),
            or(sp.seeds(), SEEDS),
            or(sp.exclude(), List.of())),
        new SweepSpec.MethodParams(
            new SweepSpec.DksParams(
                or(dks.zeta(), ShapingMethod.Dks.DEFAULT_ZETA),
                or(dks.localQSlope(), ShapingMethod.Dks.DEFAULT_LOCAL_Q_SLOPE)),
            new SweepSpec.TatParams(
                or(tat.tau(), ShapingMethod.Tat.DEFAULT_TAU),
                or(tat.eta(), ShapingMethod.Tat.DEFAULT_ETA))),
        or(s.baselines(), List.of()),
        new SweepSpec.Strategy(
            or(st.type(), StrategyType.GRID),
            st.samples(),
            or(st.seed(), RANDOM_SEED),
            or(st.order(), LaunchOrder.AS_LISTED)),
        new SweepSpec.PreflightPolicy(
            or(s.preflight() == null ? null : s.preflight().skipInfeasible(), Boolean.TRUE)),
        or(s.parallelism(), PARALLELISM),
        new SweepSpec.Budget(b.maxTrials(), b.maxFailedTrials(), b.deadline()),
        new SweepSpec.EarlyStopping(
            or(es.rule(), StoppingRule.NONE),
            or(es.gracePeriod(), GRACE_PERIOD),
            or(es.reductionFactor(), REDUCTION_FACTOR),
            or(es.minTrials(), MIN_TRIALS),
            or(es.stopOnNonFinite(), Boolean.TRUE)),
        new SweepSpec.RetryPolicy(
            or(s.retry() == null ? null : s.retry().maxRetries(), MAX_RETRIES)),
        new SweepSpec.Training(
            or(t.optimizer(), OPTIMIZER),
            or(t.schedule(), SCHEDULE),
            or(t.batchSize(), BATCH_SIZE),
            or(t.weightDecay(), 0.0),
            or(t.validationFraction(), VALIDATION_FRACTION),
            t.trainLimit(),
            or(t.pln(), Boolean.TRUE),
            t.maxSteps(),
            or(t.reportEverySteps(), REPORT_EVERY_STEPS),
            t.dataPath(),
            t.dataUrl(),
            t.dataSha256()),
        new SweepSpec.TrainerSettings(
            or(tr.image(), IMAGE),
            or(tr.args(), List.of()),
            tr.threads(),
            or(tr.jvmOptions(), JVM_OPTIONS),
            tr.resources()));
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
