package dev.dkssweep.operator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PodRefTest {

  @Test
  void workersNamingPodsRoundTrip() {
    PodRef p = new PodRef("research", "deep-t3-a2");
    assertThat(p.worker()).isEqualTo("pod/research/deep-t3-a2");
    assertThat(PodRef.parse(p.worker())).contains(p);
  }

  @Test
  void otherWorkersAreNoPods() {
    assertThat(PodRef.parse("pid:4711")).isEmpty();
    assertThat(PodRef.parse(null)).isEmpty();
    assertThat(PodRef.parse("pod/only-namespace")).isEmpty();
    assertThat(PodRef.parse("pod/a/b/c")).isEmpty();
    assertThat(PodRef.parse("pod//name")).isEmpty();
  }
}
