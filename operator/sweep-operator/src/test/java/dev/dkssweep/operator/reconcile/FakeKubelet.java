package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.execution.kubernetes.JobFactory;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the Job controller and the kubelet on the mock API server: for each trial Job that is not
 * suspended it creates the pod, runs the <em>real trainer</em> as a local process with the pod's
 * arguments, environment and the TrialSpec from the Job's Secret, moves the pod through Running to
 * Succeeded or Failed (exit code and termination message as a kubelet reports them) and sets the
 * Job's Complete or Failed condition. A Job deleted while its trainer runs gets its trainer
 * SIGTERMed, as its pod would be. A pod whose image has the tag {@link #UNPULLABLE} stays Pending
 * in ImagePullBackOff.
 */
final class FakeKubelet implements AutoCloseable {

  private final KubernetesClient client;
  private final Path work;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final Map<String, Process> running = new ConcurrentHashMap<>();
  private final Map<String, Boolean> handled = new ConcurrentHashMap<>();
  private final Map<String, String> sweepOf = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxRunning = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
  private final Map<String, ClusterFixtures.Trainer> trainers = new ConcurrentHashMap<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();

  /** Planned interruptions, by sweep and trial: each happens once, to the trial's first pod. */
  private final Map<String, Interruption> plans = new ConcurrentHashMap<>();

  /** Queued Jobs Kueue holds back until then (a requeued Job waits before it is admitted again). */
  private final Map<String, Long> heldUntil = new ConcurrentHashMap<>();

  private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> admitted = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> createdRunnable = new ConcurrentHashMap<>();

  /** What befalls a trial's first pod once it has run a while. */
  enum Interruption {
    /**
     * Preempted: the pod fails with condition DisruptionTarget; the Job controller starts another.
     */
    DISRUPT,
    /**
     * Kueue preempts the workload: the Job is suspended again, its pod deleted, later re-admitted.
     */
    REQUEUE
  }

  /** The tag of an image that cannot be pulled: its pods wait in ImagePullBackOff for ever. */
  static final String UNPULLABLE = ":no-such-tag";

  FakeKubelet(KubernetesClient client, Path work) {
    this.client = client;
    this.work = work;
    loop.scheduleWithFixedDelay(this::tick, 100, 200, TimeUnit.MILLISECONDS);
  }

  /** Plays {@code what} on the first pod of trial {@code trial} of sweep {@code sweep}. */
  void plan(String sweep, int trial, Interruption what) {
    plans.put(sweep + "/" + trial, what);
  }

  /** How many times Kueue admitted (unsuspended) a Job of the sweep. */
  int admitted(String sweep) {
    return admitted.getOrDefault(sweep, new AtomicInteger()).get();
  }

  /** How many Jobs of the sweep with a Kueue queue label arrived not suspended (must be none). */
  int createdRunnable(String sweep) {
    return createdRunnable.getOrDefault(sweep, new AtomicInteger()).get();
  }

  /** The most trainers of a sweep that ran at once. */
  int maxRunning(String sweep) {
    return maxRunning.getOrDefault(sweep, new AtomicInteger()).get();
  }

  /** How many pods of a sweep were started. */
  int started(String sweep) {
    return started.getOrDefault(sweep, new AtomicInteger()).get();
  }

  private void tick() {
    try {
      List<Job> jobs =
          client
              .batch()
              .v1()
              .jobs()
              .inAnyNamespace()
              .withLabelSelector(WorkloadNames.SELECTOR)
              .list()
              .getItems();
      java.util.Set<String> alive = new java.util.HashSet<>();
      for (Job job : jobs) {
        String id = job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
        alive.add(id);
        kueue(id, job);
        if (!handled.containsKey(id) && !Boolean.TRUE.equals(job.getSpec().getSuspend())) {
          handled.put(id, true);
          start(job);
        }
      }
      running.forEach(
          (id, p) -> {
            if (!alive.contains(id)) {
              p.destroy(); // the Job was deleted: its pod gets SIGTERM
              running.remove(id);
            }
          });
    } catch (RuntimeException e) {
      e.printStackTrace();
    }
  }

  /**
   * Plays Kueue for a Job with a queue label: it must arrive suspended; it is admitted
   * (unsuspended) unless a requeue holds it back for a while.
   */
  private void kueue(String id, Job job) {
    String queue = job.getMetadata().getLabels().get(WorkloadNames.QUEUE_NAME);
    if (queue == null) {
      return;
    }
    String sweep = job.getMetadata().getLabels().get(WorkloadNames.SWEEP);
    if (seen.add(id) && !Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      createdRunnable.computeIfAbsent(sweep, k -> new AtomicInteger()).incrementAndGet();
    }
    if (Boolean.TRUE.equals(job.getSpec().getSuspend())
        && heldUntil.getOrDefault(id, 0L) <= System.currentTimeMillis()) {
      jobs(job)
          .edit(
              j -> {
                j.getSpec().setSuspend(false);
                return j;
              });
      admitted.computeIfAbsent(sweep, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  private io.fabric8.kubernetes.client.dsl.ScalableResource<Job> jobs(Job job) {
    return client
        .batch()
        .v1()
        .jobs()
        .inNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName());
  }

  /** Once the pod has run a while, plays the interruption planned for it. */
  private void interrupt(String id, Job job, Interruption what) {
    ClusterFixtures.Trainer t = trainers.get(id);
    Pod pod = pods.get(id);
    if (t == null || !running.remove(id, t.process())) {
      return; // it ended first
    }
    t.process().destroy();
    if (what == Interruption.DISRUPT) {
      disrupted(pod);
      start(job); // the Job controller replaces a disrupted pod without counting a failure
    } else {
      heldUntil.put(id, System.currentTimeMillis() + 1_500);
      jobs(job)
          .edit(
              j -> {
                j.getSpec().setSuspend(true);
                return j;
              });
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).delete();
      handled.remove(id); // admitted again, it gets a new pod
    }
  }

  /** The pod failed with the condition a preemption or eviction gives it. */
  private void disrupted(Pod pod) {
    editPodStatus(
        pod,
        p -> {
          p.getStatus().setPhase("Failed");
          p.getStatus()
              .setConditions(
                  List.of(
                      new io.fabric8.kubernetes.api.model.PodConditionBuilder()
                          .withType("DisruptionTarget")
                          .withStatus("True")
                          .withReason("PreemptionByScheduler")
                          .build()));
          p.getStatus()
              .setContainerStatuses(
                  List.of(
                      new ContainerStatusBuilder()
                          .withName(JobFactory.CONTAINER)
                          .withNewState()
                          .withNewTerminated()
                          .withExitCode(143)
                          .withReason("Error")
                          .endTerminated()
                          .endState()
                          .build()));
        });
  }

  private void start(Job job) {
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    String image = job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    if (image.endsWith(UNPULLABLE)) {
      backOff(createPod(job), image);
      return;
    }
    String spec = ClusterFixtures.specOf(client, ns, job.getSpec().getTemplate().getSpec());
    Pod pod = createPod(job);
    ClusterFixtures.Trainer t;
    try {
      t =
          ClusterFixtures.start(
              job.getSpec().getTemplate().getSpec().getContainers().get(0),
              spec,
              work.resolve(name));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String id = ns + "/" + name;
    String sweep = job.getMetadata().getLabels().get(WorkloadNames.SWEEP);
    sweepOf.put(id, sweep);
    running.put(id, t.process());
    trainers.put(id, t);
    pods.put(id, pod);
    Interruption planned =
        plans.remove(sweep + "/" + job.getMetadata().getLabels().get(WorkloadNames.TRIAL));
    if (planned != null) {
      loop.schedule(() -> interrupt(id, job, planned), 2_500, TimeUnit.MILLISECONDS);
    }
    started.computeIfAbsent(sweep, k -> new AtomicInteger()).incrementAndGet();
    long mine = running.keySet().stream().filter(r -> sweep.equals(sweepOf.get(r))).count();
    maxRunning
        .computeIfAbsent(sweep, k -> new AtomicInteger())
        .accumulateAndGet((int) mine, Math::max);
    setPod(pod, "Running", null, null);
    t.process()
        .onExit()
        .thenAccept(
            done -> {
              if (!running.remove(id, t.process())) {
                return; // stopped (the Job and its pod are gone) or interrupted
              }
              finish(job, pod, done.exitValue(), ClusterFixtures.terminationMessage(t));
            });
  }

  private Pod createPod(Job job) {
    Map<String, String> labels =
        new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("job-name", job.getMetadata().getName());
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(
                job.getMetadata().getName() + "-x" + Long.toHexString(System.nanoTime() & 0xfffff))
            .withNamespace(job.getMetadata().getNamespace())
            .withLabels(labels)
            .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
            .withCreationTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .build())
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    return client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
  }

  private void setPod(Pod pod, String phase, Integer exitCode, String message) {
    var status =
        new ContainerStatusBuilder()
            .withName(JobFactory.CONTAINER)
            .withReady("Running".equals(phase));
    if (exitCode == null) {
      status
          .withNewState()
          .withNewRunning()
          .withStartedAt(Instant.now().toString())
          .endRunning()
          .endState();
    } else {
      status
          .withNewState()
          .withNewTerminated()
          .withExitCode(exitCode)
          .withReason(exitCode == 0 ? "Completed" : "Error")
          .withMessage(message)
          .endTerminated()
          .endState();
    }
    editPodStatus(
        pod,
        p -> {
          p.getStatus().setPhase(phase);
          p.getStatus().setContainerStatuses(List.of(status.build()));
        });
  }

  /** The pod's trainer container waits on an image that cannot be pulled, as a kubelet reports. */
  private void backOff(Pod pod, String image) {
    var status =
        new ContainerStatusBuilder()
            .withName(JobFactory.CONTAINER)
            .withImage(image)
            .withReady(false)
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .withMessage("Back-off pulling image \"" + image + "\"")
            .endWaiting()
            .endState()
            .build();
    editPodStatus(
        pod,
        p -> {
          p.getStatus().setContainerStatuses(List.of(status));
        });
  }

  /** Changes the pod's status through the status subresource, as a kubelet reports it. */
  private void editPodStatus(Pod pod, java.util.function.Consumer<Pod> change) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              change.accept(p);
              return p;
            });
  }

  private void finish(Job job, Pod pod, int exitCode, String message) {
    setPod(pod, exitCode == 0 ? "Succeeded" : "Failed", exitCode, message);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var condition =
        new JobConditionBuilder()
            .withType(exitCode == 0 ? "Complete" : "Failed")
            .withStatus("True")
            .withReason(exitCode == 0 ? null : "BackoffLimitExceeded")
            .withMessage(exitCode == 0 ? null : "Job has reached the specified backoff limit")
            .withLastTransitionTime(now)
            .build();
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName())
          .editStatus(
              j -> {
                j.setStatus(
                    new JobStatusBuilder()
                        .withConditions(condition)
                        .withSucceeded(exitCode == 0 ? 1 : 0)
                        .withFailed(exitCode == 0 ? 0 : 1)
                        .withCompletionTime(exitCode == 0 ? now : null)
                        .build());
                return j;
              });
    } catch (RuntimeException e) {
      // deleted meanwhile
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    running.values().forEach(Process::destroyForcibly);
  }
}
