package dev.dkssweep.operator.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A local run as the command line resolved it before the application started: the sweep file, the
 * options and where things go. It reaches the application as the application's own arguments
 * ({@link #toArgs}, read back by {@link #fromArgs}), the way Quarkus hands a command line to a
 * {@code QuarkusApplication}.
 *
 * @param parallelism null: the spec's
 * @param threads null: the spec's, else cores / parallelism
 */
public record LocalRun(
    Path sweepFile,
    boolean resume,
    int port,
    Path dataDirectory,
    Path results,
    Path trainerJar,
    Integer parallelism,
    Integer threads) {

  public LocalRun {
    Objects.requireNonNull(sweepFile, "sweepFile");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(trainerJar, "trainerJar");
  }

  /** The run as arguments of the application. */
  public String[] toArgs() {
    List<String> a = new ArrayList<>();
    a.addAll(List.of("--sweep", sweepFile.toString()));
    a.addAll(List.of("--resume", Boolean.toString(resume)));
    a.addAll(List.of("--port", Integer.toString(port)));
    a.addAll(List.of("--data-dir", dataDirectory.toString()));
    a.addAll(List.of("--results", results.toString()));
    a.addAll(List.of("--trainer-jar", trainerJar.toString()));
    if (parallelism != null) {
      a.addAll(List.of("--parallelism", parallelism.toString()));
    }
    if (threads != null) {
      a.addAll(List.of("--threads", threads.toString()));
    }
    return a.toArray(String[]::new);
  }

  /**
   * The run {@link #toArgs} wrote.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static LocalRun fromArgs(String... args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("expected --option value pairs, got " + List.of(args));
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (o.put(args[i], args[i + 1]) != null) {
        throw new IllegalArgumentException(args[i] + " given twice");
      }
    }
    LocalRun run =
        new LocalRun(
            Path.of(required(o, "--sweep")),
            Boolean.parseBoolean(required(o, "--resume")),
            Integer.parseInt(required(o, "--port")),
            Path.of(required(o, "--data-dir")),
            Path.of(required(o, "--results")),
            Path.of(required(o, "--trainer-jar")),
            o.containsKey("--parallelism") ? Integer.valueOf(o.remove("--parallelism")) : null,
            o.containsKey("--threads") ? Integer.valueOf(o.remove("--threads")) : null);
    if (!o.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + o.keySet());
    }
    return run;
  }

  private static String required(Map<String, String> o, String key) {
    String v = o.remove(key);
    if (v == null) {
      throw new IllegalArgumentException(key + " is missing");
    }
    return v;
  }
}
