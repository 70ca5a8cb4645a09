package dev.dkssweep.operator.local;

import dev.dkssweep.operator.store.EmbeddedDatabase;
import dev.dkssweep.sweep.model.SweepDocuments;
import java.nio.file.Path;

/**
 * A local run prepared before Quarkus starts: the parsed sweep, the options and the embedded
 * database (null with an external one). Handed to the Quarkus application through {@link #current}.
 */
public record LocalRun(
    SweepDocuments.SweepDocument document,
    boolean resume,
    int port,
    Path dataDirectory,
    Path results,
    Path trainerJar,
    Integer parallelism,
    Integer threads,
    EmbeddedDatabase database) {

  private static volatile LocalRun current;

  public static void set(LocalRun run) {
    current = run;
  }

  public static LocalRun current() {
    return current;
  }
}
