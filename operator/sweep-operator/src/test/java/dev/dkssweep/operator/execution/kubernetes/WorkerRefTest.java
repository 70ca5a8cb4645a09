package dev.dkssweep.operator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkerRefTest {

  @Test
  void workersNamingPodsAndJobsRoundTrip() {
    WorkerRef p = WorkerRef.pod("research", "deep-t3-a2-x7k2p");
    assertThat(p.worker()).isEqualTo("pod/research/deep-t3-a2-x7k2p");
    assertThat(WorkerRef.parse(p.worker())).contains(p);
    WorkerRef j = WorkerRef.job("research", "deep-t3-a2");
    assertThat(j.worker()).isEqualTo("job/research/deep-t3-a2");
    assertThat(WorkerRef.parse(j.worker())).contains(j);
  }

  @Test
  void otherWorkersAreNone() {
    assertThat(WorkerRef.parse("pid:4711")).isEmpty();
    assertThat(WorkerRef.parse(null)).isEmpty();
    assertThat(WorkerRef.parse("pod/only-namespace")).isEmpty();
    assertThat(WorkerRef.parse("job/a/b/c")).isEmpty();
    assertThat(WorkerRef.parse("pod//name")).isEmpty();
  }
}
