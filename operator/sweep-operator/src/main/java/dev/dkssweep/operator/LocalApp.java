package dev.dkssweep.operator;

import dev.dkssweep.operator.execution.local.ProcessTrialExecutor;
import dev.dkssweep.operator.ingest.TrialTokens;
import dev.dkssweep.operator.local.LocalRun;
import dev.dkssweep.operator.run.Progress;
import dev.dkssweep.operator.run.Reports;
import dev.dkssweep.operator.run.SweepRunner;
import dev.dkssweep.sweep.model.SweepDocuments;
import dev.dkssweep.sweep.model.SweepSpec;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredSweep;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Local mode inside the running application: creates (or resumes) the sweep, runs it with trainer
 * child processes that post to this application's ingest API, shows progress, and prints and writes
 * the results. Ctrl-C (or SIGTERM) stops the trials cleanly and leaves the sweep resumable; a
 * second Ctrl-C exits at once.
 */
public class LocalApp implements QuarkusApplication {

  @Inject ResultStore store;
  @Inject TrialTokens tokens;

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Override
  public int run(String... args) throws Exception {
    LocalRun r = LocalRun.current();
    SweepDocuments.SweepDocument doc = r.document();
    Optional<StoredSweep> latest = store.latestSweep(doc.namespace(), doc.name());
    SweepRunner.Prepared prepared;
    String endpoint = "http://127.0.0.1:" + r.port() + "/api/ingest";

    SweepSpec spec = doc.spec().resolved();
    int parallelism = r.parallelism() != null ? r.parallelism() : spec.parallelism();
    int cores = Runtime.getRuntime().availableProcessors();
    int threads =
        r.threads() != null
            ? r.threads()
            : spec.trainer().threads() != null
                ? spec.trainer().threads()
                : Math.max(1, cores / parallelism);
    if (parallelism * threads > cores) {
      err.println(
          "note: "
              + parallelism
              + " trials x "
              + threads
              + " threads exceed the "
              + cores
              + " cores; trials will compete (set --threads or --parallelism)");
    }

    if (r.resume()) {
      if (latest.isEmpty()) {
        err.println(
            "error: no recorded sweep named '"
                + doc.name()
                + "' in "
                + r.dataDirectory()
                + " to resume; run it without --resume");
        return 2;
      }
      StoredSweep stored = latest.get();
      if (!SweepDocuments.toJson(spec)
          .equals(SweepDocuments.toJson(SweepDocuments.fromJson(stored.specJson())))) {
        err.println(
            "note: "
                + r.document().name()
                + " changed since it started; resuming with the recorded spec");
      }
      if (stored.finished()) {
        out.println(
            "Sweep "
                + stored.name()
                + " ("
                + stored.uid()
                + ") is already "
                + stored.phase()
                + ".");
        SweepRunner.Prepared p = runner(null, endpoint, threads).resume(stored);
        return report(p, r, stored.phase().equals("Complete") ? 0 : 1);
      }
    } else if (latest.isPresent() && !latest.get().finished()) {
      err.println(
          "note: an unfinished run of '"
              + doc.name()
              + "' exists ("
              + latest.get().uid()
              + ", "
              + latest.get().phase()
              + "); pass --resume to continue it. Starting a new run.");
    }

    Path work = r.dataDirectory().resolve("runs").resolve(doc.name()).toAbsolutePath().normalize();
    try (ProcessTrialExecutor executor =
        new ProcessTrialExecutor(
            r.trainerJar().toAbsolutePath(),
            work,
            spec.trainer().jvmOptions(),
            spec.trainer().args(),
            Map.of())) {
      SweepRunner runner = runner(executor, endpoint, threads);
      prepared = r.resume() ? runner.resume(latest.get()) : runner.create(doc);
      prepared = withParallelism(prepared, parallelism);
      header(prepared, r, work, threads);
      AtomicBoolean interrupt = new AtomicBoolean();
      onSignals(interrupt);
      SweepRunner.Outcome outcome = runner.run(prepared, interrupt, display(prepared));
      if (console()) {
        out.println();
      }
      return switch (outcome) {
        case COMPLETE -> report(prepared, r, 0);
        case FAILED -> report(prepared, r, 1);
        case INTERRUPTED -> {
          out.println(
              "Interrupted: running trials were stopped and everything is recorded. Continue with"
                  + " --resume.");
          report(prepared, r, 130);
          yield 130;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private SweepRunner runner(ProcessTrialExecutor executor, String endpoint, int threads) {
    return new SweepRunner(store, executor, tokens, endpoint, Clock.systemUTC(), threads, 500);
  }

  private static SweepRunner.Prepared withParallelism(SweepRunner.Prepared p, int parallelism) {
    SweepSpec s = p.spec();
    SweepSpec spec =
        new SweepSpec(
            s.objective(),
            s.architecture(),
            s.space(),
            s.methodParams(),
            s.baselines(),
            s.strategy(),
            s.preflight(),
            parallelism,
            s.budget(),
            s.earlyStopping(),
            s.retry(),
            s.training(),
            s.trainer());
    return new SweepRunner.Prepared(
        p.uid(), p.namespace(), p.name(), spec, p.cells(), p.preflight(), p.resumed(), p.stored());
  }

  private void header(SweepRunner.Prepared p, LocalRun r, Path work, int threads) {
    int seeds = p.spec().space().seeds();
    out.println(
        (p.resumed() ? "Resuming" : "Sweep")
            + " "
            + p.name()
            + " ("
            + p.uid()
            + "): "
            + p.cells().size()
            + " cells x "
            + seeds
            + (seeds == 1 ? " seed" : " seeds")
            + ", "
            + p.spec().parallelism()
            + " at a time, "
            + threads
            + (threads == 1 ? " thread" : " threads")
            + " each");
    out.println();
    out.println("Kernel preflight:");
    Reports.printPreflight(out, p.cells(), p.preflight());
    out.println();
    String api = "http://127.0.0.1:" + r.port() + "/api/sweeps/" + p.uid();
    out.println("API:        " + api + "/trials, " + api + "/cells, " + api + "/paper-table");
    out.println("Trial logs: " + work);
    out.println();
  }

  private static boolean console() {
    return System.console() != null;
  }

  /** A status line redrawn in place on a terminal; otherwise a line when something changed. */
  private Consumer<Progress> display(SweepRunner.Prepared p) {
    String metric = p.spec().objective().metric();
    AtomicLong lastPrint = new AtomicLong();
    String[] last = {""};
    return progress -> {
      String line = progress.line(metric);
      if (console()) {
        out.print("\r" + line + " ".repeat(Math.max(0, last[0].length() - line.length())));
        out.flush();
        last[0] = line;
        return;
      }
      String key = line.replaceAll(" \\| \\d.*$", "");
      long now = System.currentTimeMillis();
      if (!key.equals(last[0]) || now - lastPrint.get() > 60_000) {
        out.println(line);
        last[0] = key;
        lastPrint.set(now);
      }
    };
  }

  private int report(SweepRunner.Prepared p, LocalRun r, int code) throws IOException {
    String metric = p.spec().objective().metric();
    var rows = Reports.results(p.cells(), p.preflight(), store.trials(p.uid()));
    out.println();
    out.println("Results (" + p.spec().objective().reduce().code() + " " + metric + " per trial):");
    Reports.printResults(out, metric, rows);
    Reports.writeCsv(r.results(), metric, rows);
    out.println();
    out.println("Written to " + r.results().toAbsolutePath());
    StoredSweep s = store.sweep(p.uid()).orElseThrow();
    out.println(
        "Sweep " + s.phase() + (s.phaseReason() == null ? "" : " (" + s.phaseReason() + ")") + ".");
    return code;
  }

  private void onSignals(AtomicBoolean interrupt) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(
            new Signal(name),
            s -> {
              if (interrupt.getAndSet(true)) {
                err.println("\nsecond interrupt: exiting now");
                Runtime.getRuntime().halt(130);
              }
              err.println(
                  "\ninterrupt: stopping the running trials (Ctrl-C again to exit now) ...");
            });
      } catch (IllegalArgumentException e) {
        // the signal is not available on this platform
      }
    }
  }
}
