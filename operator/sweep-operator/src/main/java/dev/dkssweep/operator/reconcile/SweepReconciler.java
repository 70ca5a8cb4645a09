package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.operator.api.v1alpha1.SweepStatus;
import dev.dkssweep.operator.config.OperatorConfig;
import dev.dkssweep.operator.execution.kubernetes.JobFactory;
import dev.dkssweep.operator.execution.kubernetes.JobTrialExecutor;
import dev.dkssweep.operator.execution.kubernetes.TrainerDefaults;
import dev.dkssweep.operator.execution.kubernetes.TrainerPodSettings;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import dev.dkssweep.operator.ingest.TrialTokens;
import dev.dkssweep.sweep.control.LaunchSettings;
import dev.dkssweep.sweep.control.SweepRequest;
import dev.dkssweep.sweep.control.SweepRound;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredSweep;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reconciles a Sweep resource by running the shared sweep round once per event: observe (the trial
 * rows in PostgreSQL and the sweep's Jobs and pods from the informers) -> validate, record and
 * preflight (once per generation) -> plan -> apply (Jobs created and deleted) -> status. Everything
 * it needs is in the store and the cluster, so a restarted operator carries on where the last one
 * stopped. Errors of the API server or the database are thrown (the framework retries with
 * backoff); an invalid spec is a condition, never an exception. A deleted Sweep's Jobs are stopped
 * through the finalizer, and its data stays.
 */
@ControllerConfiguration(name = SweepReconciler.NAME)
public class SweepReconciler implements Reconciler<Sweep>, Cleaner<Sweep> {

  public static final String NAME = "sweep";

  static final SweepRequest.Suspension DELETED =
      new SweepRequest.Suspension(
          EventReason.DELETED,
          "the Sweep resource was deleted; its trials were stopped and its data kept",
          "the sweep was deleted");

  private final ResultStore store;
  private final TrialTokens tokens;
  private final OperatorConfig config;
  private final Clock clock;
  private final SweepWakeups wakeups;
  private final SweepMetrics metrics;
  private final TrainerDefaults defaults;
  private volatile SweepRound round;
  private volatile JobTrialExecutor executor;
  private volatile SweepEvents events;

  public SweepReconciler(
      ResultStore store,
      TrialTokens tokens,
      OperatorConfig config,
      Clock clock,
      SweepWakeups wakeups,
      SweepMetrics metrics) {
    this.store = store;
    this.tokens = tokens;
    this.config = config;
    this.clock = clock;
    this.wakeups = wakeups;
    this.metrics = metrics;
    this.defaults = config.trainer().defaults();
  }

  @Override
  public List<EventSource<?, Sweep>> prepareEventSources(EventSourceContext<Sweep> context) {
    InformerEventSource<Job, Sweep> jobs =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Job.class, Sweep.class)
                .withName("trial-jobs")
                .withLabelSelector(WorkloadNames.SELECTOR)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Sweep.class))
                .withNamespacesInheritedFromController()
                .build(),
            context);
    InformerEventSource<Pod, Sweep> pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, Sweep.class)
                .withName("trial-pods")
                .withLabelSelector(WorkloadNames.SELECTOR)
                .withSecondaryToPrimaryMapper(SweepReconciler::podOwner)
                .withNamespacesInheritedFromController()
                .build(),
            context);
    SimpleInboundEventSource<Sweep> ingest = new SimpleInboundEventSource<>("ingest");
    IndexerResourceCache<Sweep> sweeps = context.getPrimaryCache();
    sweeps.addIndexer(SweepWakeups.BY_UID, s -> List.of(s.getMetadata().getUid()));
    wakeups.attach(ingest, sweeps);
    TrainerPodSettings pod = config.trainer().podSettings();
    executor =
        new JobTrialExecutor(
            context.getClient(),
            new JobFactory(pod),
            new InformerWorkloadCache(jobs, pods),
            uid ->
                sweeps.byIndex(SweepWakeups.BY_UID, uid).stream()
                    .findFirst()
                    .map(SweepReconciler::owner),
            pod.startTimeout(),
            clock,
            metrics::jobCreated,
            wakeups::recorded);
    round =
        new SweepRound(
            store,
            executor,
            new LaunchSettings(
                config.ingest().url().orElse(null),
                tokens::token,
                config.trainer().threads(),
                config.operator().launchesPerReconcile()),
            clock,
            config.trainer().policy());
    events = new SweepEvents(context.getClient(), clock);
    return List.of(jobs, pods, ingest);
  }

  private static Set<ResourceID> podOwner(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    String name = a == null ? null : a.get(WorkloadNames.SWEEP_NAME_ANNOTATION);
    return name == null ? Set.of() : Set.of(new ResourceID(name, pod.getMetadata().getNamespace()));
  }

  static OwnerReference owner(Sweep s) {
    return new OwnerReferenceBuilder()
        .withApiVersion(s.getApiVersion())
        .withKind(s.getKind())
        .withName(s.getMetadata().getName())
        .withUid(s.getMetadata().getUid())
        .build(); // JobFactory says which objects it controls
  }

  @Override
  public UpdateControl<Sweep> reconcile(Sweep sweep, Context<Sweep> context) {
    long start = System.nanoTime();
    SweepRequest request = SweepMapper.request(sweep, defaults);
    dev.dkssweep.sweep.control.SweepStatus s = round.run(request);
    metrics.reconciled(s, java.time.Duration.ofNanos(System.nanoTime() - start));
    SweepStatus previous = sweep.getStatus();
    SweepStatus next =
        StatusMapper.status(
            s,
            request.generation(),
            request.suspension().isPresent(),
            previous,
            clock.instant(),
            config.dashboardUrl());
    events.transitions(sweep, previous, next);
    UpdateControl<Sweep> control;
    if (next.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      sweep.setStatus(next);
      control = UpdateControl.patchStatus(sweep);
    }
    boolean quiet = (s.phase().finished() || s.phase() == SweepPhase.STOPPED) && s.settled();
    if (s.deferredLaunches() > 0) {
      return control.rescheduleAfter(0); // the launches this reconcile left: at once
    }
    return quiet ? control : control.rescheduleAfter(config.resync().toMillis());
  }

  /**
   * The Sweep is being deleted: every Job of it is stopped, the sweep is recorded ended (its trials
   * and metrics stay for the dashboard), and the round forgets it.
   */
  @Override
  public DeleteControl cleanup(Sweep sweep, Context<Sweep> context) {
    String uid = sweep.getMetadata().getUid();
    if (sweep.getSpec() != null) {
      round.run(
          SweepMapper.request(sweep, defaults)
              .suspended(DELETED)); // running trials recorded Stopped
    }
    for (AttemptObservation o : executor.observe(uid)) {
      executor.release(o.key());
    }
    Optional<StoredSweep> stored = store.sweep(uid);
    if (stored.isPresent()
        && !stored.get().finished()
        && stored.get().phase() != SweepPhase.STOPPED) {
      store.sweepPhase(uid, SweepPhase.STOPPED, EventReason.DELETED);
      store.recordEvent(uid, null, EventType.NORMAL, EventReason.DELETED, DELETED.message());
    }
    round.forget(uid);
    executor.forget(uid);
    metrics.forget(uid);
    return DeleteControl.defaultDelete();
  }
}
