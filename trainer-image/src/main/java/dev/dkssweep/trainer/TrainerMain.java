package dev.dkssweep.trainer;

import dev.dkssweep.dks.exception.NoSolutionException;
import dev.dkssweep.dks.exception.ShapingException;
import dev.dkssweep.sweep.protocol.ExitCode;
import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.trainer.engine.DenseEngine;
import dev.dkssweep.trainer.report.MetricReporter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar trainer.jar --spec trial.json}: runs one trial attempt. Logs go to stderr, data
 * (metric batches, the summary) to stdout as JSON lines. Exit codes: 0 succeeded, 1 failed, 3
 * diverged, 4 invalid spec, 143 stopped by SIGTERM (after finishing the current step and reporting
 * a stopped summary).
 */
@Command(
    name = "trainer",
    mixinStandardHelpOptions = true,
    version = "trainer 0.1.0",
    description = "Trains one trial of a dks-sweep sweep from a TrialSpec (JSON).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:succeeded",
      "1:failed",
      "3:diverged (non-finite loss)",
      "4:invalid spec",
      "143:stopped (SIGTERM)"
    })
public final class TrainerMain implements Callable<Integer> {

  private static final int TERMINATION_LOG_LIMIT = 4000;

  @Option(names = "--spec", required = true, description = "trial spec file, or - for stdin")
  String spec;

  @Option(
      names = "--data-dir",
      description = "data set cache directory (default $DKS_DATA_DIR or ~/.cache/dks-sweep)")
  Path dataDir;

  @Option(
      names = "--termination-log",
      description =
          "where the final summary is written (default: the spec's, else /dev/termination-log)")
  Path terminationLog;

  @Option(
      names = "--exit-with-parent",
      arity = "0..1",
      fallbackValue = "0",
      paramLabel = "PID",
      description =
          "stop (as on SIGTERM) when the parent exits: the process PID (local mode passes its own,"
              + " so that a runner killed while the trainer's JVM starts is noticed too), or"
              + " without a PID the process that started the trainer")
  Long exitWithParent;

  @Option(
      names = "--engine",
      defaultValue = "auto",
      description =
          "auto (default): the fused dense engine for MLPs on the CPU backend, DL4J's own training"
              + " otherwise; dense; dl4j (MultiLayerNetwork.fit, for cross-checks). Candidates:"
              + " ${COMPLETION-CANDIDATES}")
  Training.Engine engine;

  private final PrintStream out;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);

  public TrainerMain(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    System.exit(execute(System.out, args));
  }

  public static int execute(PrintStream out, String... args) {
    return new CommandLine(new TrainerMain(out)).execute(args);
  }

  @Override
  public Integer call() {
    ProcessHandle parent = null;
    if (exitWithParent != null) {
      parent = parent(exitWithParent).orElse(null);
      if (parent == null) {
        System.err.println(
            "parent process "
                + (exitWithParent == 0 ? "" : exitWithParent + " ")
                + "is gone already; not training");
        return ExitCode.STOPPED.code();
      }
    }
    if (engine == Training.Engine.dense && !DenseEngine.available()) {
      System.err.println(
          "error: --engine dense needs ND4J's CPU backend (nd4j-native), not found here (the CUDA"
              + " image trains with DL4J): use --engine auto or dl4j");
      return 2;
    }
    TrialSpec trial;
    try {
      String json =
          spec.equals("-")
              ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(spec));
      trial = ProtocolJson.readTrialSpec(json);
    } catch (IOException e) {
      System.err.println("error: cannot read the trial spec: " + e.getMessage());
      return ExitCode.INVALID_SPEC.code();
    } catch (InvalidSpecException e) {
      System.err.println("error: invalid trial spec:");
      e.violations().forEach(v -> System.err.println("  " + v));
      return ExitCode.INVALID_SPEC.code();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::onSigterm, "sigterm"));
    if (parent != null) {
      watchParent(parent);
    }
    try {
      return run(trial).code();
    } finally {
      finished.countDown();
    }
  }

  /**
   * The parent to watch, if it is still there: process {@code pid}, which must also be this
   * process's parent (a trainer whose runner died while its JVM started has been handed to init),
   * or for 0 whatever started this process.
   */
  static Optional<ProcessHandle> parent(long pid) {
    Optional<ProcessHandle> actual =
        ProcessHandle.current().parent().filter(ProcessHandle::isAlive);
    if (pid == 0) {
      return actual;
    }
    return actual.filter(p -> p.pid() == pid);
  }

  /** Sets the stop flag once the parent process is gone (checked every 500 ms). */
  private void watchParent(ProcessHandle parent) {
    Thread watcher =
        new Thread(
            () -> {
              while (parent.isAlive() && !stop.get()) {
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  return;
                }
              }
              if (!stop.getAndSet(true)) {
                System.err.println("parent process " + parent.pid() + " exited; stopping");
              }
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private void onSigterm() {
    stop.set(true);
    try {
      finished.await(9, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ExitCode run(TrialSpec trial) {
    MetricReporter reporter = reporter(trial, out);
    Path data = dataDir != null ? dataDir : envPath("DKS_DATA_DIR");
    TrialSummary summary;
    try {
      summary = new Training(trial, reporter, data, stop, engine).run();
    } catch (InvalidSpecException e) {
      System.err.println("error: invalid trial spec:");
      e.violations().forEach(v -> System.err.println("  " + v));
      return ExitCode.INVALID_SPEC;
    } catch (ShapingException e) {
      if (!(e instanceof NoSolutionException)) {
        System.err.println("error: invalid trial spec:\n  model.method: " + e.getMessage());
        return ExitCode.INVALID_SPEC;
      }
      summary = failed(trial, reporter, "shaping failed: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      System.err.println("error: " + e);
      summary = failed(trial, reporter, e.toString());
    } catch (OutOfMemoryError e) {
      // the network's arrays are unreachable now: there is room to report
      String message =
          "out of memory ("
              + e.getMessage()
              + "): give the trainer more, -Xmx in trainer.jvmOptions (local mode; ND4J's"
              + " off-heap limit follows it) or trainer.resources.memory (cluster), or train a"
              + " smaller network or batch";
      System.err.println("error: " + message);
      summary = failed(trial, reporter, message);
    }
    reporter.summary(summary);
    writeTerminationLog(trial, summary);
    return ExitCode.of(summary.status());
  }

  /** The reporter of a trial's points and summary: to its endpoint, else stdout. */
  static MetricReporter reporter(TrialSpec trial, PrintStream out) {
    TrialSpec.ReportingSpec r = trial.reporting();
    return new MetricReporter(
        trial.trialId(),
        trial.attempt(),
        r == null ? null : r.endpoint(),
        r == null ? null : r.token(),
        out,
        5,
        500);
  }

  private TrialSummary failed(TrialSpec trial, MetricReporter reporter, String message) {
    int unsent = reporter.drain(stop);
    return new TrialSummary(
        trial.trialId(),
        trial.attempt(),
        TrialStatus.FAILED,
        Map.of(),
        Map.of(),
        0,
        0,
        0,
        null,
        null,
        message,
        unsent);
  }

  /**
   * The summary as JSON of at most {@code limit} characters, always valid: first without the
   * per-layer init check, then with the error message shortened, then with only the identity,
   * status, counters and the start of the error. (The full summary also goes to stdout and the
   * ingest endpoint.)
   */
  static String terminationMessage(TrialSummary s, int limit) {
    String json = ProtocolJson.write(s);
    if (json.length() <= limit) {
      return json;
    }
    TrialSummary.InitCheck c = s.initCheck();
    TrialSummary.InitCheck brief =
        c == null
            ? null
            : new TrialSummary.InitCheck(
                c.inputC(), List.of(), c.maxQDeviation(), c.maxCDeviation());
    String error = s.errorMessage();
    for (int keep = error == null ? 0 : error.length(); ; keep = keep / 2) {
      String e =
          error == null ? null : keep >= error.length() ? error : error.substring(0, keep) + "...";
      json =
          ProtocolJson.write(
              new TrialSummary(
                  s.trialId(),
                  s.attempt(),
                  s.status(),
                  s.finalMetrics(),
                  s.bestMetrics(),
                  s.steps(),
                  s.seconds(),
                  s.samplesPerSecond(),
                  s.transform(),
                  brief,
                  e,
                  s.unsentPoints(),
                  s.engine()));
      if (json.length() <= limit || keep < 64) {
        break;
      }
    }
    if (json.length() <= limit) {
      return json;
    }
    return ProtocolJson.write(
        new TrialSummary(
            s.trialId(),
            s.attempt(),
            s.status(),
            Map.of(),
            Map.of(),
            s.steps(),
            s.seconds(),
            s.samplesPerSecond(),
            null,
            null,
            error == null ? null : error.substring(0, Math.min(error.length(), 200)),
            s.unsentPoints(),
            s.engine()));
  }

  /** The summary, shortened if needed to stay under Kubernetes' 4 KiB limit. */
  private void writeTerminationLog(TrialSpec trial, TrialSummary summary) {
    Path path = terminationLog;
    if (path == null) {
      String configured = trial.reporting() == null ? null : trial.reporting().terminationLogPath();
      path = Path.of(configured != null ? configured : "/dev/termination-log");
    }
    if (path.getParent() != null && !Files.isDirectory(path.getParent())) {
      return;
    }
    String json = terminationMessage(summary, TERMINATION_LOG_LIMIT);
    try {
      Files.writeString(path, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println(
          "warning: cannot write the termination log " + path + ": " + e.getMessage());
    }
  }

  private static Path envPath(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : Path.of(v);
  }
}
