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
import java.util.LinkedHashMap;
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
 * SIGTERM and their grace period).
 *
 * <p>The attempts launched together share one Secret holding their TrialSpecs ({@link
 * JobFactory#specs}; at most {@value #WAVE} attempts, under {@value #WAVE_BYTES} bytes): an attempt
 * costs two API calls (its Job's create and delete), not four. A wave's Secret is deleted once no
 * Job of the cache that is still observed, and no attempt still being created, refers to it: the
 * executor knows the Secrets it created and those the cache's Jobs refer to (after a restart), so
 * one whose Jobs all went while no operator ran stays until its Sweep is deleted (the Secret's
 * owner), its tokens refused by then.
 *
 * <p>A round's launches ({@link #launchAll}) are created in the background, {@value #API_THREADS}
 * API calls at a time, so that the round does not wait on the API server: the round has written the
 * attempts' rows already, each attempt is pending from the moment it is handed over, and one whose
 * objects the API server refuses is reported by the next {@link #observe} as exited without having
 * started (the round records it Failed, could not start), its sweep woken to settle it.
 */
public final class JobTrialExecutor implements TrialExecutor {

  /**
   * How long a Job may be missing from the cache after its creation returned before it is taken for
   * deleted. A creation still under way (queued behind other calls, retried with back-off) keeps
   * its attempt pending however long it takes: it ends created (then this lag counts) or refused.
   */
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

  /**
   * An attempt being created, and the Secret with its TrialSpec; {@code at} is when its creation
   * returned, null while the call is under way.
   */
  private record Created(String namespace, String name, Instant at, String specs) {
    Created returned(Instant when) {
      return at == null ? new Created(namespace, name, when, specs) : this;
    }
  }

  /** A wave's Secret of TrialSpecs. */
  private record Specs(String sweepUid, String namespace, String name) {}

  /** The most attempts one Secret of TrialSpecs holds. */
  static final int WAVE = 32;

  /** The largest Secret of TrialSpecs (the API server refuses objects over 1 MiB). */
  static final int WAVE_BYTES = 512 * 1024;

  /** The Secrets of TrialSpecs this executor created or saw Jobs refer to, until deleted. */
  private final Set<Specs> specs = ConcurrentHashMap.newKeySet();

  /** Those being deleted (asked once). */
  private final Set<Specs> specsDeleting = ConcurrentHashMap.newKeySet();

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
    Set<Specs> referenced = new HashSet<>();
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
      JobFactory.specsSecret(job)
          .ifPresent(
              n -> {
                Specs ref = new Specs(sweepUid, job.getMetadata().getNamespace(), n);
                specs.add(ref); // known after a restart too
                referenced.add(ref);
              });
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
            if (c.at() != null && Duration.between(c.at(), now).compareTo(CACHE_LAG) > 0) {
              created.remove(key); // created, never showed up: deleted by someone else
            } else {
              referenced.add(new Specs(sweepUid, c.namespace(), c.specs()));
              out.add(
                  new AttemptObservation(
                      key,
                      AttemptState.PENDING,
                      WorkerRef.job(c.namespace(), c.name()).worker(),
                      null));
            }
          }
        });
    for (Specs s : specs) {
      if (s.sweepUid().equals(sweepUid) && !referenced.contains(s) && specsDeleting.add(s)) {
        api.submit(() -> deleteSpecs(s)); // no attempt needs it any more
      }
    }
    return out;
  }

  /** Deletes a wave's Secret of TrialSpecs; one that could not be is deleted by a later round. */
  private void deleteSpecs(Specs s) {
    try {
      client.secrets().inNamespace(s.namespace()).withName(s.name()).delete();
      specs.remove(s);
    } catch (RuntimeException e) {
      LOG.warning(
          "Secret "
              + s.namespace()
              + "/"
              + s.name()
              + " not deleted yet ("
              + e.getMessage()
              + "); a later round tries again");
    } finally {
      specsDeleting.remove(s);
    }
  }

  @Override
  public String launch(TrialLaunch launch) {
    OwnerReference owner = owner(launch);
    Wave w = wave(List.of(launch), owner);
    Workload o = w.members().get(0);
    specs.add(w.ref());
    created.put(o.key(), new Created(o.namespace(), o.name(), null, w.name()));
    try {
      createIfAbsent(
          () -> client.secrets().inNamespace(w.namespace()).resource(w.secret()).create());
      createJob(o);
      created.computeIfPresent(o.key(), (k, c) -> c.returned(clock.instant()));
    } catch (RuntimeException e) {
      created.remove(o.key());
      throw e;
    }
    return o.worker();
  }

  /** Attempts launched together: their Secret of TrialSpecs, then their Jobs. */
  private record Wave(String sweepUid, Secret secret, List<Workload> members) {
    String namespace() {
      return secret.getMetadata().getNamespace();
    }

    String name() {
      return secret.getMetadata().getName();
    }

    Specs ref() {
      return new Specs(sweepUid, namespace(), name());
    }
  }

  /** An attempt's Job, as {@link JobFactory} builds it. */
  private record Workload(TrialKey key, Job job) {
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

  /** The owner of a launch's objects; throws when its sweep is gone (nothing can own them). */
  private OwnerReference owner(TrialLaunch launch) {
    String uid = launch.key().sweepUid();
    return owners
        .apply(uid)
        .orElseThrow(() -> new IllegalStateException("the sweep " + uid + " is gone"));
  }

  /** The objects of launches of one sweep: their Secret of TrialSpecs and their Jobs. */
  private Wave wave(List<TrialLaunch> launches, OwnerReference owner) {
    Secret secret = factory.specs(launches, owner);
    String name = secret.getMetadata().getName();
    List<Workload> members = new ArrayList<>();
    for (TrialLaunch l : launches) {
      members.add(new Workload(l.key(), factory.job(l, owner, name)));
    }
    return new Wave(launches.get(0).key().sweepUid(), secret, members);
  }

  /**
   * The waves of launches of one sweep: at most {@value #WAVE} attempts each, split further while a
   * Secret would exceed {@value #WAVE_BYTES} bytes.
   */
  private List<Wave> waves(List<TrialLaunch> launches, OwnerReference owner) {
    List<Wave> out = new ArrayList<>();
    for (int from = 0; from < launches.size(); from += WAVE) {
      split(launches.subList(from, Math.min(launches.size(), from + WAVE)), owner, out);
    }
    return out;
  }

  private void split(List<TrialLaunch> launches, OwnerReference owner, List<Wave> out) {
    Wave w = wave(launches, owner);
    long bytes = w.secret().getStringData().values().stream().mapToLong(v -> v.length() * 3L).sum();
    if (bytes > WAVE_BYTES && launches.size() > 1) {
      int half = launches.size() / 2;
      split(launches.subList(0, half), owner, out);
      split(launches.subList(half, launches.size()), owner, out);
    } else {
      out.add(w);
    }
  }

  /** The Job's name: deterministic, known before the Job exists. */
  @Override
  public String plannedWorker(TrialLaunch launch) {
    TrialSpec.SweepRef sweep = launch.spec().sweep();
    return WorkerRef.job(sweep.namespace(), WorkloadNames.job(sweep.name(), launch.key())).worker();
  }

  /** Creates an attempt's Job (taken as created when it exists). */
  private void createJob(Workload o) {
    if (createIfAbsent(
        () -> client.batch().v1().jobs().inNamespace(o.namespace()).resource(o.job()).create())) {
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
    Map<TrialKey, Launched> out = new HashMap<>();
    Map<String, List<TrialLaunch>> bySweep = new LinkedHashMap<>();
    Map<String, OwnerReference> ownerOf = new HashMap<>();
    for (TrialLaunch l : launches) {
      String uid = l.key().sweepUid();
      try {
        ownerOf.computeIfAbsent(uid, u -> owner(l));
        bySweep.computeIfAbsent(uid, u -> new ArrayList<>()).add(l);
      } catch (RuntimeException e) {
        out.put(l.key(), new Launched(null, e));
      }
    }
    for (Map.Entry<String, List<TrialLaunch>> e : bySweep.entrySet()) {
      for (Wave w : waves(e.getValue(), ownerOf.get(e.getKey()))) {
        specs.add(w.ref());
        for (Workload o : w.members()) {
          refused.remove(o.key());
          created.put(o.key(), new Created(o.namespace(), o.name(), null, w.name()));
          out.put(o.key(), new Launched(o.worker(), null));
        }
        api.submit(() -> createInBackground(w));
      }
    }
    return launches.stream().map(l -> out.get(l.key())).toList();
  }

  /** Creates a wave's Secret, then hands its Jobs to the API threads. */
  private void createInBackground(Wave w) {
    try {
      createIfAbsent(
          () -> client.secrets().inNamespace(w.namespace()).resource(w.secret()).create());
    } catch (RuntimeException e) {
      w.members()
          .forEach(o -> refuse(o, "its Secret " + w.name() + " was refused: " + e.getMessage()));
      return;
    }
    for (Workload o : w.members()) {
      api.submit(() -> createInBackground(o));
    }
  }

  private void createInBackground(Workload o) {
    try {
      createJob(o);
      created.computeIfPresent(o.key(), (k, c) -> c.returned(clock.instant()));
      if (stopping.contains(o.key())) {
        deleteJob(o.key(), o.namespace(), o.name()); // stopped while it was being created
      }
    } catch (RuntimeException e) {
      refuse(o, e.getMessage());
    }
  }

  /** Records that an attempt's Job cannot be created; its sweep's next round settles it. */
  private void refuse(Workload o, String why) {
    created.remove(o.key());
    refused.put(o.key(), new Refused(o.namespace(), o.name(), why));
    LOG.warning("Job " + o.namespace() + "/" + o.name() + " not created: " + why);
    wake.accept(o.key().sweepUid());
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
   * longer observed); its TrialSpec, whose token can write nothing any more, goes with its wave's
   * Secret once the wave's other attempts are done. The Sweep's deletion takes the Job with it
   * (owner reference). A label that could not be set is set again by the next round, which sees the
   * attempt again.
   */
  @Override
  public void retain(TrialKey attempt) {
    if (!stopping.add(attempt)) {
      return; // asked already
    }
    created.remove(attempt);
    Refused r = refused.remove(attempt);
    if (r != null) {
      api.submit(() -> deleteJob(attempt, r.namespace(), r.name())); // in case it was created
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
      names.put(r.name(), r.namespace()); // in case it was created after all
    }
    for (Job job : cache.jobs(attempt.sweepUid())) {
      if (JobStateMapper.key(job).filter(attempt::equals).isPresent()) {
        names.put(job.getMetadata().getName(), job.getMetadata().getNamespace());
      }
    }
    names.forEach((name, ns) -> api.submit(() -> deleteJob(attempt, ns, name)));
  }

  /**
   * Deletes a Job (its pods get SIGTERM); it may be gone already. A deletion that fails is logged:
   * the Job stays in the cache, and the next round releases or stops it again.
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
   * Does {@code action} to a Job; a call that fails is logged as {@code undone}, and the next
   * round, which still sees the Job, repeats it.
   */
  private void onJob(
      TrialKey attempt,
      String ns,
      String name,
      String undone,
      Consumer<ScalableResource<Job>> action) {
    try {
      action.accept(client.batch().v1().jobs().inNamespace(ns).withName(name));
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
   * Drops what this executor keeps of a deleted sweep (its pending, refused and stopping attempts,
   * its Secrets): the sweep is not observed again, and its objects go with it (owner references).
   */
  public void forget(String sweepUid) {
    created.keySet().removeIf(k -> k.sweepUid().equals(sweepUid));
    refused.keySet().removeIf(k -> k.sweepUid().equals(sweepUid));
    stopping.removeIf(k -> k.sweepUid().equals(sweepUid));
    specs.removeIf(s -> s.sweepUid().equals(sweepUid));
  }

  /** Jobs go on without the operator: a restarted one finds them and carries on. */
  @Override
  public void close() {
    api.shutdown();
  }
}
