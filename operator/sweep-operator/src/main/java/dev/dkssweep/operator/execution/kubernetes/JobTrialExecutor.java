package dev.dkssweep.operator.execution.kubernetes;

import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialSpec;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Runs trial attempts as {@code batch/v1} Jobs (one per attempt, see {@link JobFactory}) and
 * reports them from the informers' cache. A Job this executor has just created may not be in the
 * cache yet; it counts as pending until the cache shows it, so that the round never launches an
 * attempt twice or takes a starting one for lost. Creating an object that exists is success (the
 * operator may have died after creating it); stopping and releasing delete the Job (its pods get
 * SIGTERM and their grace period) and its Secret.
 *
 * <p>A round's launches ({@link #launchAll}) are created in the background, {@value #API_THREADS}
 * API calls at a time, so that the round does not wait on the API server: the round has written the
 * attempts' rows already, each attempt is pending from the moment it is handed over, and one whose
 * objects the API server refuses is reported by the next {@link #observe} as exited without having
 * started (the round records it Failed, could not start), its sweep woken to settle it.
 */
public final class JobTrialExecutor implements TrialExecutor {

  /** How long a created Job may be missing from the cache before it is taken for deleted. */
  static final Duration CACHE_LAG = Duration.ofMinutes(2);

  private static final Logger LOG = Logger.getLogger(JobTrialExecutor.class.getName());

  private final KubernetesClient client;
  private final JobFactory factory;
  private final WorkloadCache cache;
  private final Function<String, Optional<OwnerReference>> owners;
  private final Duration startTimeout;
  private final Clock clock;
  private final Runnable onCreated;
  private final Consumer<String> wake;
  private final Map<TrialKey, Created> created = new ConcurrentHashMap<>();

  /** Attempts whose objects the API server refused, with its answer, until released. */
  private final Map<TrialKey, Refused> refused = new ConcurrentHashMap<>();

  /**
   * Attempts whose Job this executor is deleting (or marking retained): asked once, not observed
   * again while the cache still shows the Job; an ask that failed is dropped, so the attempt shows
   * again and the next round asks again.
   */
  private final Set<TrialKey> stopping = ConcurrentHashMap.newKeySet();

  /** API calls of a round's launches and deletions run concurrently on these threads. */
  static final int API_THREADS = 8;

  private final ExecutorService api =
      Executors.newFixedThreadPool(
          API_THREADS,
          r -> {
            Thread t = new Thread(r, "dks-job-api");
            t.setDaemon(true);
            return t;
          });

  private record Created(String namespace, String name, Instant at) {}

  private record Refused(String namespace, String name, String why) {}

  /**
   * @param owners the owner reference of a sweep, by its uid (empty once it is gone)
   * @param onCreated told of each Job this executor created (a metric)
   * @param wake told the uid of a sweep one of whose launches was refused (its next round settles
   *     it)
   */
  public JobTrialExecutor(
      KubernetesClient client,
      JobFactory factory,
      WorkloadCache cache,
      Function<String, Optional<OwnerReference>> owners,
      Duration startTimeout,
      Clock clock,
      Runnable onCreated,
      Consumer<String> wake) {
    this.client = client;
    this.factory = factory;
    this.cache = cache;
    this.owners = owners;
    this.startTimeout = startTimeout;
    this.clock = clock;
    this.onCreated = onCreated;
    this.wake = wake;
  }

  @Override
  public List<AttemptObservation> observe(String sweepUid) {
    Instant now = clock.instant();
    Map<String, List<Pod>> podsByJob = new HashMap<>();
    for (Pod p : cache.pods(sweepUid)) {
      String job =
          p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get("job-name");
      if (job != null) {
        podsByJob.computeIfAbsent(job, k -> new ArrayList<>()).add(p);
      }
    }
    List<AttemptObservation> out = new ArrayList<>();
    Set<TrialKey> seen = new HashSet<>();
    for (Job job : cache.jobs(sweepUid)) {
      Optional<TrialKey> key = JobStateMapper.key(job);
      if (key.isEmpty() || !key.get().sweepUid().equals(sweepUid)) {
        continue;
      }
      seen.add(key.get());
      if (stopping.contains(key.get()) || job.getMetadata().getDeletionTimestamp() != null) {
        continue; // being deleted: stopped or released; its end is not awaited
      }
      if ("true".equals(job.getMetadata().getLabels().get(WorkloadNames.RETAINED))) {
        continue; // kept for inspection; its result is recorded
      }
      created.remove(key.get());
      List<Pod> pods = podsByJob.getOrDefault(job.getMetadata().getName(), List.of());
      out.add(JobStateMapper.observe(key.get(), job, pods, now, startTimeout));
    }
    stopping.removeIf(key -> key.sweepUid().equals(sweepUid) && !seen.contains(key)); // gone
    refused.forEach(
        (key, r) -> {
          if (key.sweepUid().equals(sweepUid) && !seen.contains(key) && !stopping.contains(key)) {
            out.add(
                new AttemptObservation(
                    key,
                    AttemptState.EXITED,
                    WorkerRef.job(r.namespace(), r.name()).worker(),
                    new AttemptExit(
                        -1,
                        AttemptExit.Termination.NOT_STARTED,
                        "its Job could not be created: " + r.why(),
                        null,
                        "",
                        List.of())));
          }
        });
    created.forEach(
        (key, c) -> {
          if (key.sweepUid().equals(sweepUid) && !seen.contains(key)) {
            if (Duration.between(c.at(), now).compareTo(CACHE_LAG) > 0) {
              created.remove(key); // never showed up: deleted by someone else
            } else {
              out.add(
                  new AttemptObservation(
                      key,
                      AttemptState.PENDING,
                      WorkerRef.job(c.namespace(), c.name()).worker(),
                      null));
            }
          }
        });
    return out;
  }

  @Override
  public String launch(TrialLaunch launch) {
    Workload o = objects(launch);
    create(o);
    created.put(o.key(), new Created(o.namespace(), o.name(), clock.instant()));
    return o.worker();
  }

  /** An attempt's Job and Secret, as {@link JobFactory} builds them. */
  private record Workload(TrialKey key, Secret secret, Job job) {
    String namespace() {
      return job.getMetadata().getNamespace();
    }

    String name() {
      return job.getMetadata().getName();
    }

    String worker() {
      return WorkerRef.job(namespace(), name()).worker();
    }
  }

  /** Builds an attempt's objects; throws when its sweep is gone (nothing can own them). */
  private Workload objects(TrialLaunch launch) {
    TrialKey key = launch.key();
    OwnerReference owner =
        owners
            .apply(key.sweepUid())
            .orElseThrow(
                () -> new IllegalStateException("the sweep " + key.sweepUid() + " is gone"));
    return new Workload(key, factory.secret(launch, owner), factory.job(launch, owner));
  }

  /** The Job's name: deterministic, known before the Job exists. */
  @Override
  public String plannedWorker(TrialLaunch launch) {
    TrialSpec.SweepRef sweep = launch.spec().sweep();
    return WorkerRef.job(sweep.namespace(), WorkloadNames.job(sweep.name(), launch.key())).worker();
  }

  /** Creates the Secret, then the Job (each taken as created when it exists). */
  private void create(Workload o) {
    String ns = o.namespace();
    createIfAbsent(() -> client.secrets().inNamespace(ns).resource(o.secret()).create());
    if (createIfAbsent(
        () -> client.batch().v1().jobs().inNamespace(ns).resource(o.job()).create())) {
      onCreated.run();
    }
  }

  /** Creates an object; one that exists already is success. True when this call created it. */
  private static boolean createIfAbsent(Runnable create) {
    try {
      create.run();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return false;
    }
  }

  /**
   * Hands the round's launches to the API threads and returns: each is pending from now on (its
   * worker is the Job's name, known before it exists); one the API server refuses is observed as
   * never started. Only a launch whose objects cannot be built (its sweep is gone) fails here.
   */
  @Override
  public List<Launched> launchAll(List<TrialLaunch> launches) {
    List<Launched> out = new ArrayList<>();
    for (TrialLaunch l : launches) {
      Workload o;
      try {
        o = objects(l);
      } catch (RuntimeException e) {
        out.add(new Launched(null, e));
        continue;
      }
      refused.remove(o.key());
      created.put(o.key(), new Created(o.namespace(), o.name(), clock.instant()));
      api.submit(() -> createInBackground(o));
      out.add(new Launched(o.worker(), null));
    }
    return out;
  }

  private void createInBackground(Workload o) {
    try {
      create(o);
      if (stopping.contains(o.key())) {
        deleteJob(o.key(), o.namespace(), o.name()); // stopped while it was being created
      }
    } catch (RuntimeException e) {
      created.remove(o.key());
      refused.put(o.key(), new Refused(o.namespace(), o.name(), e.getMessage()));
      LOG.warning("Job " + o.namespace() + "/" + o.name() + " not created: " + e.getMessage());
      wake.accept(o.key().sweepUid());
    }
  }

  @Override
  public void stop(TrialKey attempt) {
    delete(attempt);
  }

  @Override
  public void release(TrialKey attempt) {
    delete(attempt);
  }

  /**
   * Keeps a failed attempt's Job and pod for inspection: the Job is labelled retained (and no
   * longer observed); its Secret, whose token can write nothing any more, is deleted. The Sweep's
   * deletion takes the Job with it (owner reference). A label that could not be set is set again by
   * the next round, which sees the attempt again.
   */
  @Override
  public void retain(TrialKey attempt) {
    if (!stopping.add(attempt)) {
      return; // asked already
    }
    created.remove(attempt);
    Refused r = refused.remove(attempt);
    if (r != null) {
      api.submit(() -> deleteJob(attempt, r.namespace(), r.name())); // no Job; its Secret may exist
    }
    for (Job job : cache.jobs(attempt.sweepUid())) {
      if (JobStateMapper.key(job).filter(attempt::equals).isPresent()) {
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        api.submit(() -> label(attempt, ns, name));
      }
    }
  }

  private void label(TrialKey attempt, String ns, String name) {
    onJob(
        attempt,
        ns,
        name,
        "not marked retained yet",
        job ->
            job.patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"" + WorkloadNames.RETAINED + "\":\"true\"}}}"));
  }

  private void delete(TrialKey attempt) {
    if (!stopping.add(attempt)) {
      return; // asked already; the Job is on its way out
    }
    Map<String, String> names = new HashMap<>(); // name -> namespace
    Created c = created.remove(attempt);
    if (c != null) {
      names.put(c.name(), c.namespace());
    }
    Refused r = refused.remove(attempt);
    if (r != null) {
      names.put(r.name(), r.namespace()); // its Secret may have been created
    }
    for (Job job : cache.jobs(attempt.sweepUid())) {
      if (JobStateMapper.key(job).filter(attempt::equals).isPresent()) {
        names.put(job.getMetadata().getName(), job.getMetadata().getNamespace());
      }
    }
    names.forEach((name, ns) -> api.submit(() -> deleteJob(attempt, ns, name)));
  }

  /**
   * Deletes a Job (its pods get SIGTERM) and its Secret; either may be gone already. A deletion
   * that fails is logged: the Job stays in the cache, and the next round releases or stops it
   * again.
   */
  private void deleteJob(TrialKey attempt, String ns, String name) {
    onJob(
        attempt,
        ns,
        name,
        "not deleted yet",
        job -> job.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
  }

  /**
   * Does {@code action} to a Job, then deletes the Job's Secret (no longer needed either way); a
   * call that fails is logged as {@code undone}, and the next round, which still sees the Job,
   * repeats it.
   */
  private void onJob(
      TrialKey attempt,
      String ns,
      String name,
      String undone,
      Consumer<ScalableResource<Job>> action) {
    try {
      action.accept(client.batch().v1().jobs().inNamespace(ns).withName(name));
      client.secrets().inNamespace(ns).withName(name).delete();
    } catch (RuntimeException e) {
      stopping.remove(attempt); // shown again: the next round asks again
      LOG.warning(
          "Job "
              + ns
              + "/"
              + name
              + " "
              + undone
              + " ("
              + e.getMessage()
              + "); the next round"
              + " tries again");
    }
  }

  /**
   * Drops what this executor keeps of a deleted sweep (its pending, refused and stopping attempts):
   * the sweep is not observed again, and its Jobs go with it (owner references).
   */
  public void forget(String sweepUid) {
    created.keySet().removeIf(k -> k.sweepUid().equals(sweepUid));
    refused.keySet().removeIf(k -> k.sweepUid().equals(sweepUid));
    stopping.removeIf(k -> k.sweepUid().equals(sweepUid));
  }

  /** Jobs go on without the operator: a restarted one finds them and carries on. */
  @Override
  public void close() {
    api.shutdown();
  }
}
