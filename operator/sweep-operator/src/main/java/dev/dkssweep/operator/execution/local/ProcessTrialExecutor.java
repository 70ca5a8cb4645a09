package dev.dkssweep.operator.execution.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Local mode's executor: every attempt is a child JVM running the trainer jar, with its own
 * directory ({@code <work>/trial-<index>/attempt-<n>/}: spec.json, summary.json (the termination
 * message), trainer.log (stderr), stdout.jsonl (points the ingest endpoint did not take)). The
 * thread budget goes to OMP_NUM_THREADS and -XX:ActiveProcessorCount, so that parallelism x threads
 * stays within the cores. Trainers get {@code --exit-with-parent}: none outlives a killed runner.
 *
 * <p>What it observes is its own memory: an attempt is Running while its process lives (and until
 * its exit has been read), then Exited with the same exit until released. A runner that restarted
 * knows no attempt, so the round relaunches the trials its predecessor ran.
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
  private final Map<TrialKey, Attempt> attempts = new ConcurrentHashMap<>();

  /** A started attempt: its process, and once the process has ended and been read, its exit. */
  private static final class Attempt {
    final Process process;
    volatile AttemptExit exit;
    volatile boolean stopping;

    Attempt(Process process) {
      this.process = process;
    }

    String worker() {
      return "pid:" + process.pid();
    }
  }

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
    TrialKey key = launch.key();
    Attempt existing = attempts.get(key);
    if (existing != null) {
      return existing.worker();
    }
    Path dir = attemptDirectory(key.trialIndex(), key.attempt());
    try {
      Files.createDirectories(dir);
      // the spec carries the trial's ingest token: owner-only, like everything of a run
      ownerOnly(workDirectory, OWNER_DIRECTORY);
      ownerOnly(dir.getParent(), OWNER_DIRECTORY);
      ownerOnly(dir, OWNER_DIRECTORY);
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
      Files.deleteIfExists(specFile);
      Files.createFile(specFile);
      ownerOnly(specFile, OWNER_FILE);
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
      command.add("--exit-with-parent=" + ProcessHandle.current().pid());
      command.addAll(extraArgs);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(dir.resolve("stdout.jsonl").toFile())
              .redirectError(dir.resolve("trainer.log").toFile())
              .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      pb.environment().putAll(environment);
      launch.trainer().env().forEach(e -> pb.environment().put(e.name(), e.value()));
      String threads = Integer.toString(launch.threads());
      pb.environment().put("OMP_NUM_THREADS", threads);
      pb.environment().put("OPENBLAS_NUM_THREADS", threads);
      pb.environment().put("MKL_NUM_THREADS", threads);
      Attempt attempt = new Attempt(pb.start());
      attempts.put(key, attempt);
      attempt
          .process
          .onExit()
          .thenAccept(p -> attempt.exit = exit(dir, p.exitValue()))
          .exceptionally(
              t -> {
                LOG.warning("cannot read how " + key + " ended: " + t.getMessage());
                attempt.exit = AttemptExit.of(attempt.process.exitValue(), null, "", List.of());
                return null;
              });
      return attempt.worker();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the trainer of trial " + key.trial(), e);
    }
  }

  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  private static void ownerOnly(Path path, Set<PosixFilePermission> permissions)
      throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  /** How an attempt's process ended, from its exit code and the files it left. */
  private static AttemptExit exit(Path dir, int code) {
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
    return AttemptExit.of(code, summary, tail(dir, 20), undelivered(dir));
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

  @Override
  public List<AttemptObservation> observe(String sweepUid) {
    List<AttemptObservation> out = new ArrayList<>();
    attempts.forEach(
        (key, a) -> {
          if (key.sweepUid().equals(sweepUid)) {
            AttemptExit exit = a.exit;
            // an attempt whose process just ended but whose exit is not read yet still runs
            out.add(
                new AttemptObservation(
                    key,
                    exit != null ? AttemptState.EXITED : AttemptState.RUNNING,
                    a.worker(),
                    exit));
          }
        });
    return out;
  }

  @Override
  public void stop(TrialKey key) {
    Attempt a = attempts.get(key);
    if (a == null || a.stopping || !a.process.isAlive()) {
      return;
    }
    a.stopping = true;
    a.process.destroy();
    a.process
        .onExit()
        .orTimeout(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .exceptionally(
            t -> {
              LOG.warning(
                  "trial " + key + " did not stop within " + STOP_GRACE_MILLIS + " ms; killed");
              a.process.destroyForcibly();
              return a.process;
            });
  }

  @Override
  public void release(TrialKey key) {
    attempts.computeIfPresent(key, (k, a) -> a.exit != null ? null : a);
  }

  /** Stops every attempt, waits up to {@code graceMillis} for them, then kills what is left. */
  public void stopAll(long graceMillis) {
    List<Attempt> all = new ArrayList<>(attempts.values());
    all.forEach(a -> a.process.destroy());
    long deadline = System.currentTimeMillis() + graceMillis;
    for (Attempt a : all) {
      long left = deadline - System.currentTimeMillis();
      try {
        if (left <= 0 || !a.process.waitFor(left, TimeUnit.MILLISECONDS)) {
          a.process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        a.process.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    stopAll(STOP_GRACE_MILLIS);
  }
}
