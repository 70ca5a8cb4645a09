package dev.dkssweep.sweep.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrialIdTest {

  @Test
  void readsBackWhatItWrites() {
    TrialId id = new TrialId("3f2a-uid-with-dashes", 42);
    assertThat(id.toString()).isEqualTo("3f2a-uid-with-dashes-42");
    assertThat(TrialId.parse(id.toString())).isEqualTo(id);
    assertThat(id.attempt(3)).isEqualTo(new TrialKey("3f2a-uid-with-dashes", 42, 3));
    assertThat(id.attempt(3).trial()).isEqualTo(id);
    assertThat(id.attempt(3).toString()).isEqualTo("3f2a-uid-with-dashes-42#3");
  }

  @Test
  void refusesWhatIsNotATrialId() {
    for (String bad :
        new String[] {"", "nodash", "-5", "uid-", "uid-x", "uid-+5", "uid-99999999999"}) {
      assertThatThrownBy(() -> TrialId.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("<sweep uid>-<trial index>");
    }
    assertThatThrownBy(() -> TrialId.parse(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TrialKey("u", 1, 0)).hasMessageContaining("from 1");
  }
}
