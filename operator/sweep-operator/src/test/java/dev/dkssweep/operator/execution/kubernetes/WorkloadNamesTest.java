package dev.dkssweep.operator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.protocol.TrialKey;
import org.junit.jupiter.api.Test;

class WorkloadNamesTest {

  @Test
  void aShortNameIsKeptAsItIs() {
    assertThat(WorkloadNames.job("quickstart", new TrialKey("u", 12, 3)))
        .isEqualTo("quickstart-t12-a3");
    assertThat(WorkloadNames.label("quickstart")).isEqualTo("quickstart");
  }

  @Test
  void aLongNameIsShortenedToADnsLabelWithAHashOfTheFullName() {
    String longName = "a".repeat(60) + "-x";
    String other = "a".repeat(60) + "-y";
    TrialKey key = new TrialKey("u", 123456, 10);
    String a = WorkloadNames.job(longName, key);
    String b = WorkloadNames.job(other, key);
    assertThat(a)
        .hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .endsWith("-t123456-a10");
    assertThat(b).hasSizeLessThanOrEqualTo(63).isNotEqualTo(a);
    assertThat(WorkloadNames.job(longName, key)).as("deterministic").isEqualTo(a);
    assertThat(WorkloadNames.label(longName)).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void aSubdomainNameBecomesALabel() {
    String n = WorkloadNames.job("team.sweep", new TrialKey("u", 0, 1));
    assertThat(n).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
    assertThat(n).isNotEqualTo(WorkloadNames.job("team-sweep", new TrialKey("u", 0, 1)));
  }
}
