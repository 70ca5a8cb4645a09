package dev.dkssweep.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** examples/trials/*.json stay valid trial specs. */
class ExampleTrialsTest {

  @Test
  void everyExampleTrialIsValid() throws IOException {
    Path dir = Path.of("..", "examples", "trials");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains(
            "smoke.json",
            "fmnist-dks.json",
            "fmnist-tat.json",
            "fmnist-standard.json",
            "fmnist-orthogonal.json");
    for (Path f : files) {
      TrialSpec spec = ProtocolJson.readTrialSpec(Files.readString(f));
      assertThat(spec.model().depth()).as(f.toString()).isPositive();
    }
  }
}
