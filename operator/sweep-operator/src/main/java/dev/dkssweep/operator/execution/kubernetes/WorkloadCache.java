package dev.dkssweep.operator.execution.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;

/** The trial Jobs and pods of a sweep, as the operator's informers hold them. */
public interface WorkloadCache {

  List<Job> jobs(String sweepUid);

  List<Pod> pods(String sweepUid);
}
