package dev.dkssweep.operator.execution.kubernetes;

import java.util.Optional;

/**
 * The pod that runs a trial attempt, as recorded in the trial's {@code worker} column: {@code
 * pod/<namespace>/<name>} (local mode records {@code pid:<pid>}). The dashboard reads the pod's log
 * through it while the pod exists.
 */
public record PodRef(String namespace, String name) {

  private static final String PREFIX = "pod/";

  public PodRef {
    if (namespace == null || namespace.isBlank() || namespace.contains("/")) {
      throw new IllegalArgumentException("namespace: '" + namespace + "'");
    }
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("name: '" + name + "'");
    }
  }

  /** The worker value. */
  public String worker() {
    return PREFIX + namespace + "/" + name;
  }

  /** The pod a worker value names, if it names one. */
  public static Optional<PodRef> parse(String worker) {
    if (worker == null || !worker.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = worker.substring(PREFIX.length()).split("/", -1);
    if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new PodRef(parts[0], parts[1]));
  }
}
