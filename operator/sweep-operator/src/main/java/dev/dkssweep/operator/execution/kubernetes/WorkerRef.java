package dev.dkssweep.operator.execution.kubernetes;

import java.util.Optional;

/**
 * The Kubernetes object that runs a trial attempt, as recorded in the trial's {@code worker}
 * column: {@code pod/<namespace>/<name>} or {@code job/<namespace>/<name>} (local mode records
 * {@code pid:<pid>}). The dashboard reads the attempt's log through it while its pod exists.
 */
public record WorkerRef(Kind kind, String namespace, String name) {

  /** What the worker value names. */
  public enum Kind {
    POD("pod/"),
    JOB("job/");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }
  }

  public WorkerRef {
    if (kind == null) {
      throw new IllegalArgumentException("kind: null");
    }
    if (namespace == null || namespace.isBlank() || namespace.contains("/")) {
      throw new IllegalArgumentException("namespace: '" + namespace + "'");
    }
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("name: '" + name + "'");
    }
  }

  public static WorkerRef pod(String namespace, String name) {
    return new WorkerRef(Kind.POD, namespace, name);
  }

  public static WorkerRef job(String namespace, String name) {
    return new WorkerRef(Kind.JOB, namespace, name);
  }

  /** The worker value. */
  public String worker() {
    return kind.prefix + namespace + "/" + name;
  }

  /** The object a worker value names, if it names one. */
  public static Optional<WorkerRef> parse(String worker) {
    if (worker == null) {
      return Optional.empty();
    }
    for (Kind k : Kind.values()) {
      if (worker.startsWith(k.prefix)) {
        String[] parts = worker.substring(k.prefix.length()).split("/", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
          return Optional.empty();
        }
        return Optional.of(new WorkerRef(k, parts[0], parts[1]));
      }
    }
    return Optional.empty();
  }
}
