package dev.dkssweep.trainer;

import dev.dkssweep.sweep.protocol.ExitCode;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.trainer.report.MetricReporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fast stand-in for the trainer, for the fault and load suites: the trainer's command line
 * ({@code --spec FILE --exit-with-parent=PID}), its parent check, its SIGTERM handling, its {@link
 * MetricReporter} (the same retries and buffering) and its summary on stdout and in the termination
 * log, but no network: each epoch sleeps {@code DKS_SIM_EPOCH_MILLIS} (default 200) while it
 * reports {@code DKS_SIM_STEPS} (default 20) training-loss points, then one {@code val_loss} and
 * one {@code val_accuracy}.
 *
 * <p>Every value is a function of the trial index, the seed, the step and the epoch alone, so a
 * test knows each point and each objective an attempt must leave behind: {@link #points} and {@link
 * #valAccuracy}.
 */
public final class SimulatedTrainer {

  private SimulatedTrainer() {}

  /** Training-loss points per epoch, then the two validation points. */
  public static int points(int epochs, int steps) {
    return epochs * (steps + 2);
  }

  /** The validation accuracy of a trial after {@code epoch} (rising with the epoch). */
  public static double valAccuracy(int trialIndex, long seed, int epoch) {
    double ceiling = 0.55 + 0.4 * fraction(trialIndex * 31L + seed);
    return ceiling * (1 - Math.exp(-epoch));
  }

  private static double fraction(long x) {
    long h = x * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return (h >>> 11) / (double) (1L << 53);
  }

  public static void main(String[] args) throws Exception {
    String spec = null;
    Long parentPid = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--spec")) {
        spec = args[++i];
      } else if (args[i].startsWith("--exit-with-parent=")) {
        parentPid = Long.parseLong(args[i].substring("--exit-with-parent=".length()));
      }
    }
    if (spec == null) {
      System.err.println("error: --spec is required");
      System.exit(2);
    }
    ProcessHandle parent = null;
    if (parentPid != null) {
      parent = TrainerMain.parent(parentPid).orElse(null);
      if (parent == null) {
        System.err.println("parent process " + parentPid + " is gone already; not training");
        System.exit(ExitCode.STOPPED.code());
      }
    }
    TrialSpec trial = ProtocolJson.readTrialSpec(Files.readString(Path.of(spec)));
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.set(true);
                  try {
                    finished.await(9, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    if (parent != null) {
      ProcessHandle p = parent;
      Thread watch =
          new Thread(
              () -> {
                while (p.isAlive() && !stop.get()) {
                  sleep(200);
                }
                stop.set(true);
              });
      watch.setDaemon(true);
      watch.start();
    }
    int code;
    try {
      code = train(trial, stop);
    } finally {
      finished.countDown();
    }
    System.exit(code);
  }

  private static int train(TrialSpec trial, AtomicBoolean stop) throws IOException {
    long epochMillis = env("DKS_SIM_EPOCH_MILLIS", 200);
    int steps = (int) env("DKS_SIM_STEPS", 20);
    int epochs = trial.optimisation().epochs() == null ? 1 : trial.optimisation().epochs();
    long started = System.nanoTime();
    MetricReporter reporter = TrainerMain.reporter(trial, System.out);
    Map<String, Double> last = new LinkedHashMap<>();
    Map<String, Double> best = new LinkedHashMap<>();
    long step = 0;
    TrialStatus status = TrialStatus.SUCCEEDED;
    for (int epoch = 1; epoch <= epochs && status == TrialStatus.SUCCEEDED; epoch++) {
      sleep(epochMillis);
      if (stop.get()) {
        status = TrialStatus.STOPPED;
        break;
      }
      for (int s = 0; s < steps; s++) {
        step++;
        reporter.report(step, epoch, Map.of("train_loss", 2.0 / (1 + step)));
      }
      double acc = valAccuracy(trial.trialIndex(), trial.seed(), epoch);
      Map<String, Double> val = new LinkedHashMap<>();
      val.put("val_loss", 1 - acc);
      val.put("val_accuracy", acc);
      reporter.report(step, epoch, val);
      last.putAll(val);
      val.forEach((k, v) -> best.merge(k, v, k.contains("loss") ? Math::min : Math::max));
    }
    int unsent = reporter.drain(stop);
    TrialSummary summary =
        new TrialSummary(
            trial.trialId(),
            trial.attempt(),
            status,
            last,
            best,
            step,
            (System.nanoTime() - started) / 1e9,
            0,
            null,
            null,
            status == TrialStatus.STOPPED ? "stopped" : null,
            unsent,
            "simulated");
    reporter.summary(summary);
    String log = trial.reporting() == null ? null : trial.reporting().terminationLogPath();
    if (log != null) {
      Files.writeString(
          Path.of(log), TrainerMain.terminationMessage(summary, 4000), StandardCharsets.UTF_8);
    }
    return ExitCode.of(status).code();
  }

  private static long env(String name, long fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
