package dev.dkssweep.operator.execution.kubernetes;

import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialSummary;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an attempt's Job and pods say about it (pure): pending (held by a queue, waiting for a node
 * or its image), running, or exited with an exit code, a {@link AttemptExit.Termination} and the
 * trainer's summary from its termination message. A pod that cannot pull its image, or cannot be
 * scheduled, is pending with that reason (the sweep shows it as Degraded); past the start timeout
 * it has exited as never started: it would otherwise wait forever.
 */
public final class JobStateMapper {

  /** Waiting reasons that do not clear up by themselves. */
  static final Set<String> STUCK =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  private JobStateMapper() {}

  /** The attempt's key, from the Job's labels; empty when they are not an attempt's. */
  public static Optional<TrialKey> key(Job job) {
    Map<String, String> l = job.getMetadata().getLabels();
    if (l == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new TrialKey(
              l.get(WorkloadNames.SWEEP_UID),
              Integer.parseInt(l.get(WorkloadNames.TRIAL)),
              Integer.parseInt(l.get(WorkloadNames.ATTEMPT))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The attempt {@code job} runs, given its pods; {@code now} dates how long a pod has waited. */
  public static AttemptObservation observe(
      TrialKey key, Job job, List<Pod> pods, Instant now, Duration startTimeout) {
    String ns = job.getMetadata().getNamespace();
    Optional<Pod> latest = newest(pods);
    String worker =
        latest
            .map(p -> WorkerRef.pod(ns, p.getMetadata().getName()).worker())
            .orElse(WorkerRef.job(ns, job.getMetadata().getName()).worker());
    Optional<JobCondition> done = finished(job);
    if (done.isPresent()) {
      return new AttemptObservation(key, AttemptState.EXITED, worker, exit(done.get(), pods));
    }
    if (latest.isEmpty() || Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      return new AttemptObservation(key, AttemptState.PENDING, worker, null);
    }
    Pod pod = latest.get();
    Optional<String> problem = problem(pod);
    if (problem.isPresent()) {
      Instant created = parse(pod.getMetadata().getCreationTimestamp());
      if (created != null && Duration.between(created, now).compareTo(startTimeout) >= 0) {
        String why = "never started in " + minutes(startTimeout) + ": " + problem.get();
        return new AttemptObservation(
            key,
            AttemptState.EXITED,
            worker,
            new AttemptExit(-1, AttemptExit.Termination.NOT_STARTED, why, null, why, List.of()));
      }
      return AttemptObservation.stuck(key, worker, problem.get());
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return new AttemptObservation(
        key, "Running".equals(phase) ? AttemptState.RUNNING : AttemptState.PENDING, worker, null);
  }

  /** The newest of a Job's pods (the Job controller starts another after a disruption). */
  public static Optional<Pod> newest(List<Pod> pods) {
    return pods.stream()
        .max(
            Comparator.comparing(
                (Pod p) -> p.getMetadata().getCreationTimestamp(),
                Comparator.nullsFirst(Comparator.naturalOrder())));
  }

  private static Optional<JobCondition> finished(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> "True".equals(c.getStatus()))
        .filter(c -> "Complete".equals(c.getType()) || "Failed".equals(c.getType()))
        .findFirst();
  }

  private static AttemptExit exit(JobCondition c, List<Pod> pods) {
    boolean complete = "Complete".equals(c.getType());
    Optional<ContainerStateTerminated> t =
        pods.stream()
            .filter(p -> !disrupted(p))
            .map(JobStateMapper::terminated)
            .flatMap(Optional::stream)
            .reduce((a, b) -> b);
    String detail = c.getReason() == null ? null : c.getReason() + ": " + c.getMessage();
    TrialSummary summary = t.map(x -> summary(x.getMessage())).orElse(null);
    String tail = t.map(ContainerStateTerminated::getMessage).orElse(detail);
    if (complete) {
      return new AttemptExit(0, AttemptExit.Termination.EXITED, detail, summary, tail, List.of());
    }
    if ("DeadlineExceeded".equals(c.getReason())) {
      return new AttemptExit(
          t.map(ContainerStateTerminated::getExitCode).orElse(-1),
          AttemptExit.Termination.DEADLINE_EXCEEDED,
          detail,
          summary,
          tail,
          List.of());
    }
    if (t.isEmpty()) {
      return new AttemptExit(-1, AttemptExit.Termination.EXITED, detail, null, detail, List.of());
    }
    AttemptExit.Termination how =
        "OOMKilled".equals(t.get().getReason())
            ? AttemptExit.Termination.OOM_KILLED
            : AttemptExit.Termination.EXITED;
    return new AttemptExit(t.get().getExitCode(), how, detail, summary, tail, List.of());
  }

  private static boolean disrupted(Pod p) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Optional<ContainerStateTerminated> terminated(Pod p) {
    return trainer(p)
        .map(s -> s.getState() == null ? null : s.getState().getTerminated())
        .filter(x -> x != null);
  }

  private static Optional<ContainerStatus> trainer(Pod p) {
    if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return p.getStatus().getContainerStatuses().stream()
        .filter(s -> JobFactory.CONTAINER.equals(s.getName()))
        .findFirst();
  }

  private static TrialSummary summary(String message) {
    if (message == null || message.isBlank()) {
      return null;
    }
    try {
      return ProtocolJson.read(message, TrialSummary.class);
    } catch (RuntimeException e) {
      return null; // a message that is not the trainer's summary (it died before writing one)
    }
  }

  /**
   * Why a pod that has not started will not start by itself: its trainer container waits on an
   * image or a configuration that is wrong, or the scheduler finds no node for it.
   */
  private static Optional<String> problem(Pod pod) {
    Optional<ContainerStateWaiting> waiting =
        trainer(pod).map(s -> s.getState() == null ? null : s.getState().getWaiting());
    if (waiting.isPresent() && STUCK.contains(waiting.get().getReason())) {
      return Optional.of(
          waiting.get().getReason()
              + (waiting.get().getMessage() == null
                  ? ""
                  : " (" + waiting.get().getMessage() + ")"));
    }
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType())
            && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason())) {
          return Optional.of(
              "Unschedulable" + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")"));
        }
      }
    }
    return Optional.empty();
  }

  private static String minutes(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  private static Instant parse(String timestamp) {
    try {
      return timestamp == null ? null : Instant.parse(timestamp);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
