package dev.dkssweep.operator.execution.kubernetes;

import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.execution.TrialExecutor;
import dev.dkssweep.sweep.execution.TrialLaunch;
import dev.dkssweep.sweep.protocol.TrialKey;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
  private final Map<TrialKey, Created> created = new ConcurrentHashMap<>();

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

  /**
   * @param owners the owner reference of a sweep, by its uid (empty once it is gone)
   * @param onCreated told of each Job this executor created (a metric)
   */
  public JobTrialExecutor(
      KubernetesClient client,
      JobFactory factory,
      WorkloadCache cache,
      Function<String, Optional<OwnerReference>> owners,
      Duration startTimeout,
      Clock clock,
      Runnable onCreated) {
    this.client = client;
    this.factory = factory;
    this.cache = cache;
    this.owners = owners;
    this.startTimeout = startTimeout;
    this.clock = clock;
    this.onCreated = onCreated;
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
      if (job.getMetadata().getDeletionTimestamp() != null) {
        continue; // being deleted: stopped or released; its end is not awaited
      }
      if ("true".equals(job.getMetadata().getLabels().get(WorkloadNames.RETAINED))) {
        continue; // kept for inspection; its result is recorded
      }
      created.remove(key.get());
      List<Pod> pods = podsByJob.getOrDefault(job.getMetadata().getName(), List.of());
      out.add(JobStateMapper.observe(key.get(), job, pods, now, startTimeout));
    }
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
    TrialKey key = launch.key();
    OwnerReference owner =
        owners
            .apply(key.sweepUid())
            .orElseThrow(
                () -> new IllegalStateException("the sweep " + key.sweepUid() + " is gone"));
    Job job = factory.job(launch, owner);
    String ns = job.getMetadata().getNamespace();
    String name = job.getMetadata().getName();
    createIfAbsent(
        () -> client.secrets().inNamespace(ns).resource(factory.secret(launch, owner)).create());
    if (createIfAbsent(() -> client.batch().v1().jobs().inNamespace(ns).resource(job).create())) {
      onCreated.run();
    }
    created.put(key, new Created(ns, name, clock.instant()));
    return WorkerRef.job(ns, name).worker();
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

  /** The round's launches, {@value #API_THREADS} at a time (each is two API calls). */
  @Override
  public List<Launched> launchAll(List<TrialLaunch> launches) {
    List<Future<String>> futures = new ArrayList<>();
    for (TrialLaunch l : launches) {
      futures.add(api.submit(() -> launch(l)));
    }
    List<Launched> out = new ArrayList<>();
    for (Future<String> f : futures) {
      try {
        out.add(new Launched(f.get(), null));
      } catch (ExecutionException e) {
        out.add(
            new Launched(
                null,
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while launching", e);
      }
    }
    return out;
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
    created.remove(attempt);
    for (Job job : cache.jobs(attempt.sweepUid())) {
      if (JobStateMapper.key(job).filter(attempt::equals).isPresent()) {
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        api.submit(() -> label(ns, name));
      }
    }
  }

  private void label(String ns, String name) {
    onJob(
        ns,
        name,
        "not marked retained yet",
        job ->
            job.patch(
                PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"labels\":{\"" + WorkloadNames.RETAINED + "\":\"true\"}}}"));
  }

  private void delete(TrialKey attempt) {
    Map<String, String> names = new HashMap<>(); // name -> namespace
    Created c = created.remove(attempt);
    if (c != null) {
      names.put(c.name(), c.namespace());
    }
    for (Job job : cache.jobs(attempt.sweepUid())) {
      if (JobStateMapper.key(job).filter(attempt::equals).isPresent()) {
        names.put(job.getMetadata().getName(), job.getMetadata().getNamespace());
      }
    }
    names.forEach((name, ns) -> api.submit(() -> deleteJob(ns, name)));
  }

  /**
   * Deletes a Job (its pods get SIGTERM) and its Secret; either may be gone already. A deletion
   * that fails is logged: the Job stays in the cache, and the next round releases or stops it
   * again.
   */
  private void deleteJob(String ns, String name) {
    onJob(
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
      String ns, String name, String undone, Consumer<ScalableResource<Job>> action) {
    try {
      action.accept(client.batch().v1().jobs().inNamespace(ns).withName(name));
      client.secrets().inNamespace(ns).withName(name).delete();
    } catch (KubernetesClientException e) {
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

  /** Jobs go on without the operator: a restarted one finds them and carries on. */
  @Override
  public void close() {
    api.shutdown();
  }
}
