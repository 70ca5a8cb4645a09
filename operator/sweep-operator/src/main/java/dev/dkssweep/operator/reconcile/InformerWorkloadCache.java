package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.execution.kubernetes.WorkloadCache;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;

/** The trial Jobs and pods of the reconciler's informers, indexed by their sweep's uid. */
final class InformerWorkloadCache implements WorkloadCache {

  static final String BY_SWEEP = "dkssweep.dev/by-sweep-uid";

  private final InformerEventSource<Job, ?> jobs;
  private final InformerEventSource<Pod, ?> pods;

  InformerWorkloadCache(InformerEventSource<Job, ?> jobs, InformerEventSource<Pod, ?> pods) {
    this.jobs = jobs;
    this.pods = pods;
    jobs.addIndexers(Map.of(BY_SWEEP, WorkloadNames::sweepUid));
    pods.addIndexers(Map.of(BY_SWEEP, WorkloadNames::sweepUid));
  }

  @Override
  public List<Job> jobs(String sweepUid) {
    return jobs.byIndex(BY_SWEEP, sweepUid);
  }

  @Override
  public List<Pod> pods(String sweepUid) {
    return pods.byIndex(BY_SWEEP, sweepUid);
  }
}
