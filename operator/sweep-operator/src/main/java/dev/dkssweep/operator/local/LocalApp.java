package dev.dkssweep.operator.local;

import dev.dkssweep.operator.execution.local.ProcessTrialExecutor;
import dev.dkssweep.operator.ingest.TrialTokens;
import dev.dkssweep.sweep.control.Generation;
import dev.dkssweep.sweep.control.Generations;
import dev.dkssweep.sweep.control.LaunchSettings;
import dev.dkssweep.sweep.control.SweepRequest;
import dev.dkssweep.sweep.control.SweepRound;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredSweep;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Local mode inside the running application: creates (or resumes) the sweep, drives its rounds with
 * trainer child processes that post to this application's ingest API, shows progress, and prints
 * and writes the results. Ctrl-C (or SIGTERM) stops the trials cleanly and leaves the sweep
 * resumable; a second Ctrl-C exits at once. The run itself arrives as the application's arguments
 * ({@link LocalRun#toArgs}).
 */
public class LocalApp implements QuarkusApplication {

  private final ResultStore store;
  private final TrialTokens tokens;
  private final Clock clock;
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Inject
  public LocalApp(ResultStore store, TrialTokens tokens, Clock clock) {
    this.store = store;
    this.tokens = tokens;
    this.clock = clock;
  }

  @Override
  public int run(String... args) throws IOException {
    LocalRun r = LocalRun.fromArgs(args);
    String base = r.sweepFile().getFileName().toString().replaceFirst("\\.ya?ml$", "");
    SweepDocuments.SweepDocument doc = SweepDocuments.read(Files.readString(r.sweepFile()), base);
    SweepDefinition def = doc.definition();
    int parallelism = r.parallelism() != null ? r.parallelism() : def.parallelism();
    int threads = threads(r, def, parallelism);
    Optional<StoredSweep> latest = store.latestSweep(doc.namespace(), doc.name());
    SweepRequest request;
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
      request =
          SweepRequest.run(
              stored.uid(),
              stored.namespace(),
              stored.name(),
              stored.generation(),
              SweepDocuments.fromJson(stored.specJson()));
      if (!SweepDocuments.toJson(def).equals(SweepDocuments.toJson(request.spec().definition()))) {
        err.println(
            "note: " + doc.name() + " changed since it started; resuming with the recorded spec");
      }
      if (stored.finished()) {
        out.println(
            "Sweep "
                + stored.name()
                + " ("
                + stored.uid()
                + ") is already "
                + stored.phase().column()
                + ".");
        Generation g = new Generations(store, new Preflight()).prepare(request).generation().get();
        return report(stored.uid(), g, r, stored.phase() == SweepPhase.COMPLETE ? 0 : 1);
      }
    } else {
      if (latest.isPresent() && !latest.get().finished()) {
        err.println(
            "note: an unfinished run of '"
                + doc.name()
                + "' exists ("
                + latest.get().uid()
                + ", "
                + latest.get().phase().column()
                + "); pass --resume to continue it. Starting a new run.");
      }
      request =
          SweepRequest.run(
              UUID.randomUUID().toString(), doc.namespace(), doc.name(), 1, doc.spec());
    }
    request = request.withParallelism(parallelism);
    return execute(r, def, request, threads);
  }

  private int execute(LocalRun r, SweepDefinition def, SweepRequest request, int threads)
      throws IOException {
    Path work =
        r.dataDirectory().resolve("runs").resolve(request.name()).toAbsolutePath().normalize();
    String endpoint = "http://127.0.0.1:" + r.port() + "/api/ingest";
    try (ProcessTrialExecutor executor =
        new ProcessTrialExecutor(
            r.trainerJar().toAbsolutePath(),
            work,
            def.trainer().jvmOptions(),
            def.trainer().args(),
            Map.of())) {
      SweepRound round =
          new SweepRound(
              store, executor, new LaunchSettings(endpoint, tokens::token, threads), clock);
      if (r.resume()) {
        store.sweepPhase(request.uid(), SweepPhase.RUNNING, EventReason.RESUMED);
      }
      Generation g = round.prepare(request);
      header(request, g, r, work, threads);
      AtomicBoolean interrupt = new AtomicBoolean();
      onSignals(interrupt);
      boolean terminal = System.console() != null;
      LocalDriver.Outcome outcome =
          new LocalDriver(
                  round,
                  clock,
                  new ConsoleProgress(out, def.objective().metric(), clock, terminal),
                  m -> err.println((terminal ? "\n" : "") + "note: " + m))
              .drive(request, interrupt);
      if (terminal) {
        out.println();
      }
      return switch (outcome) {
        case COMPLETE -> report(request.uid(), g, r, 0);
        case FAILED -> report(request.uid(), g, r, 1);
        case INTERRUPTED -> {
          out.println(
              "Interrupted: running trials were stopped and everything is recorded. Continue with"
                  + " --resume.");
          report(request.uid(), g, r, 130);
          yield 130;
        }
      };
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** Threads per trial: the option, the spec's, else the cores shared by the parallel trials. */
  private int threads(LocalRun r, SweepDefinition def, int parallelism) {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads =
        r.threads() != null
            ? r.threads()
            : def.trainer().threads().orElse(Math.max(1, cores / parallelism));
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
    return threads;
  }

  private void header(SweepRequest request, Generation g, LocalRun r, Path work, int threads) {
    int seeds = g.definition().space().seeds();
    out.println(
        (r.resume() ? "Resuming" : "Sweep")
            + " "
            + request.name()
            + " ("
            + request.uid()
            + "): "
            + g.cells().size()
            + " cells x "
            + seeds
            + (seeds == 1 ? " seed" : " seeds")
            + ", "
            + request.parallelism().orElse(g.definition().parallelism())
            + " at a time, "
            + threads
            + (threads == 1 ? " thread" : " threads")
            + " each");
    out.println();
    out.println("Kernel preflight:");
    Reports.printPreflight(out, g.cells(), g.preflight());
    out.println();
    String api = "http://127.0.0.1:" + r.port() + "/api/sweeps/" + request.uid();
    out.println("API:        " + api + "/trials, " + api + "/cells, " + api + "/paper-table");
    out.println("Trial logs: " + work);
    out.println();
  }

  private int report(String uid, Generation g, LocalRun r, int code) throws IOException {
    SweepDefinition.Objective o = g.definition().objective();
    var rows = Reports.results(g.cells(), g.preflight(), store.trials(uid));
    out.println();
    out.println("Results (" + o.reduce().code() + " " + o.metric() + " per trial):");
    Reports.printResults(out, o.metric(), rows);
    Reports.writeCsv(r.results(), o.metric(), rows);
    out.println();
    out.println("Written to " + r.results().toAbsolutePath());
    StoredSweep s = store.sweep(uid).orElseThrow();
    out.println(
        "Sweep "
            + s.phase().column()
            + (s.phaseReason() == null ? "" : " (" + s.phaseReason().code() + ")")
            + ".");
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
