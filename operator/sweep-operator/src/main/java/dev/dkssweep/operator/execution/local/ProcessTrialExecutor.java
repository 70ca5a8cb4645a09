package dev.dkssweep.operator.execution.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.operator.execution.TrialExecutor;
import dev.dkssweep.operator.execution.TrialExit;
import dev.dkssweep.operator.execution.TrialLaunch;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Local mode's executor: every attempt is a child JVM running the trainer jar, with its own
 * directory ({@code <work>/trial-<index>/attempt-<n>/}: spec.json, summary.json (the termination
 * message), trainer.log (stderr), stdout.jsonl (points the ingest endpoint did not take)). The
 * thread budget goes to OMP_NUM_THREADS and -XX:ActiveProcessorCount, so that parallelism x threads
 * stays within the cores. Trainers get {@code --exit-with-parent}: none outlives a killed runner.
 */
public final class ProcessTrialExecutor implements TrialExecutor {

  private static final Logger LOG = Logger.getLogger(ProcessTrialExecutor.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The trainer finishes its step and reports within 10 s of SIGTERM; then it is killed. */
  public static final long STOP_GRACE_MILLIS = 15_000;

  private final Path trainerJar;
  private final Path workDirectory;
  private final List<String> jvmOptions;
  private final List<String> extraArgs;
  private final Map<String, String> environment;
  private final Map<Key, Running> running = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<TrialExit> exits = new ConcurrentLinkedQueue<>();

  private record Key(int trialIndex, int attempt) {}

  private record Running(Process process, Path directory) {}

  /**
   * @param environment extra environment of every trainer (e.g. DKS_DATA_DIR)
   */
  public ProcessTrialExecutor(
      Path trainerJar,
      Path workDirectory,
      List<String> jvmOptions,
      List<String> extraArgs,
      Map<String, String> environment) {
    if (!Files.isRegularFile(trainerJar)) {
      throw new IllegalArgumentException(
          "trainer jar "
              + trainerJar
              + " not found; build it with ./mvnw -pl trainer-image -am package -DskipTests, or"
              + " point --trainer-jar at it");
    }
    this.trainerJar = trainerJar;
    this.workDirectory = workDirectory.toAbsolutePath().normalize();
    this.jvmOptions = List.copyOf(jvmOptions);
    this.extraArgs = List.copyOf(extraArgs);
    this.environment = Map.copyOf(environment);
  }

  /** The directory of an attempt (its spec, summary and logs). */
  public Path attemptDirectory(int trialIndex, int attempt) {
    return workDirectory.resolve("trial-" + trialIndex).resolve("attempt-" + attempt);
  }

  @Override
  public String launch(TrialLaunch launch) {
    Key key = new Key(launch.trialIndex(), launch.attempt());
    Running existing = running.get(key);
    if (existing != null) {
      return worker(existing.process());
    }
    Path dir = attemptDirectory(launch.trialIndex(), launch.attempt());
    try {
      Files.createDirectories(dir);
      Path summary = dir.resolve("summary.json");
      Files.deleteIfExists(summary);
      TrialSpec spec = launch.spec();
      TrialSpec.ReportingSpec r = spec.reporting();
      TrialSpec withLog =
          new TrialSpec(
              spec.schemaVersion(),
              spec.sweep(),
              spec.trialIndex(),
              spec.attempt(),
              spec.seed(),
              spec.model(),
              spec.data(),
              spec.optimisation(),
              new TrialSpec.ReportingSpec(
                  r == null ? null : r.endpoint(),
                  r == null ? null : r.token(),
                  r == null ? 50 : r.everySteps(),
                  summary.toString()));
      Path specFile = dir.resolve("spec.json");
      Files.writeString(specFile, ProtocolJson.write(withLog));
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.addAll(jvmOptions);
      command.add("-XX:ActiveProcessorCount=" + launch.threads());
      command.add("-Djava.awt.headless=true");
      command.add("-jar");
      command.add(trainerJar.toString());
      command.add("--spec");
      command.add(specFile.toString());
      command.add("--exit-with-parent");
      command.addAll(extraArgs);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(dir.resolve("stdout.jsonl").toFile())
              .redirectError(dir.resolve("trainer.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      pb.environment().putAll(environment);
      String threads = Integer.toString(launch.threads());
      pb.environment().put("OMP_NUM_THREADS", threads);
      pb.environment().put("OPENBLAS_NUM_THREADS", threads);
      pb.environment().put("MKL_NUM_THREADS", threads);
      Process process = pb.start();
      running.put(key, new Running(process, dir));
      process.onExit().thenAccept(p -> exited(key, dir, p.exitValue()));
      return worker(process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the trainer of trial " + launch.trialIndex(), e);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String worker(Process p) {
    return "pid:" + p.pid();
  }

  private void exited(Key key, Path dir, int code) {
    // the stdout line is complete; the termination message may have dropped per-layer details
    TrialSummary summary = stdoutSummary(dir);
    Path file = dir.resolve("summary.json");
    try {
      if (summary == null && Files.isRegularFile(file) && Files.size(file) > 0) {
        summary = ProtocolJson.read(Files.readString(file), TrialSummary.class);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warning("unreadable summary " + file + ": " + e.getMessage());
    }
    exits.add(
        new TrialExit(
            key.trialIndex(), key.attempt(), code, summary, tail(dir, 20), undelivered(dir)));
  }

  /** The final summary the trainer printed on stdout, if any. */
  static TrialSummary stdoutSummary(Path dir) {
    Path out = dir.resolve("stdout.jsonl");
    if (!Files.isRegularFile(out)) {
      return null;
    }
    try {
      TrialSummary found = null;
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (line.startsWith("{\"kind\":\"summary\"")) {
          found =
              ProtocolJson.read(JSON.readTree(line).get("summary").toString(), TrialSummary.class);
        }
      }
      return found;
    } catch (IOException | RuntimeException e) {
      LOG.warning("unreadable summary line in " + out + ": " + e.getMessage());
      return null;
    }
  }

  /** The metric batches a trainer printed because the endpoint did not take them. */
  static List<MetricBatch> undelivered(Path dir) {
    Path out = dir.resolve("stdout.jsonl");
    List<MetricBatch> batches = new ArrayList<>();
    if (!Files.isRegularFile(out)) {
      return batches;
    }
    try {
      for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
        if (!line.startsWith("{\"kind\":\"metrics\"")) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          batches.add(ProtocolJson.read(node.get("batch").toString(), MetricBatch.class));
        } catch (IOException | RuntimeException e) {
          LOG.warning("unreadable line in " + out + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      LOG.warning("cannot read " + out + ": " + e.getMessage());
    }
    return batches;
  }

  /** The last {@code lines} lines of an attempt's trainer log. */
  public static String tail(Path dir, int lines) {
    Path log = dir.resolve("trainer.log");
    try {
      if (!Files.isRegularFile(log)) {
        return "";
      }
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  /**
   * True until the attempt's exit has been drained: an attempt whose process just ended but whose
   * exit the runner has not seen yet still counts, so it is never mistaken for a lost one.
   */
  @Override
  public boolean alive(int trialIndex, int attempt) {
    return running.containsKey(new Key(trialIndex, attempt));
  }

  @Override
  public void stop(int trialIndex, int attempt) {
    Running r = running.get(new Key(trialIndex, attempt));
    if (r == null || !r.process().isAlive()) {
      return;
    }
    r.process().destroy();
    r.process()
        .onExit()
        .orTimeout(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .exceptionally(
            t -> {
              LOG.warning(
                  "trial "
                      + trialIndex
                      + " did not stop within "
                      + STOP_GRACE_MILLIS
                      + " ms; killed");
              r.process().destroyForcibly();
              return r.process();
            });
  }

  @Override
  public List<TrialExit> drainExits() {
    List<TrialExit> out = new ArrayList<>();
    for (TrialExit e; (e = exits.poll()) != null; ) {
      running.remove(new Key(e.trialIndex(), e.attempt()));
      out.add(e);
    }
    return out;
  }

  @Override
  public int running() {
    return (int) running.values().stream().filter(r -> r.process().isAlive()).count();
  }

  @Override
  public void stopAll(long graceMillis) {
    List<Running> all = new ArrayList<>(running.values());
    all.forEach(r -> r.process().destroy());
    long deadline = System.currentTimeMillis() + graceMillis;
    for (Running r : all) {
      long left = deadline - System.currentTimeMillis();
      try {
        if (left <= 0 || !r.process().waitFor(left, TimeUnit.MILLISECONDS)) {
          r.process().destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        r.process().destroyForcibly();
      }
    }
    // let the onExit callbacks record the exits
    for (int i = 0; i < 50 && exits.size() < all.size(); i++) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  @Override
  public void close() {
    stopAll(STOP_GRACE_MILLIS);
  }
}
