package dev.dkssweep.sweep.document;

import dev.dkssweep.sweep.model.Reduce;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import java.util.List;

/**
 * The defaults of a {@link SweepSpec}, in one place (docs/sweep-spec.md lists the same values);
 * {@link SweepDefinitionMapper} applies them.
 */
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

  static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
