package dev.dkssweep.dks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DksCommandTest {

  @TempDir Path dir;

  private static String stdout(Runnable r) {
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(saved);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void solveWritesOneRowPerCaseAndErrorRowsForBadInput() throws IOException {
    Path in = dir.resolve("cases.csv");
    Files.writeString(
        in,
        String.join(
            "\n",
            "case_id,structure,num_nonlinear_layers,activation,method,zeta,local_q_slope_target,tau,eta",
            "a,mlp,5,softplus,DKS,1.5,1.0,,",
            "b,mlp,20,relu,TAT,,,0.3,",
            "c,mlp,20,softplus,DKS,1.0,,,",
            "d,mlp,x,tanh,DKS,,,,",
            "e,mlp,5,leaky_relu,TAT,,,,0.9",
            "f,resnet101_v2_sw0.6,,leaky_relu,TAT,,,,0.9",
            "g,mlp,5,mish,DKS,,,,",
            ""));
    Path out = dir.resolve("out.csv");
    int code = DksCommand.execute("solve", "--in", in.toString(), "--out", out.toString());
    assertThat(code).isZero();
    List<Map<String, String>> rows = CsvTables.read(new StringReader(Files.readString(out)));
    assertThat(rows)
        .extracting(r -> r.get("case_id"))
        .containsExactly("a", "b", "c", "d", "e", "f", "g");
    assertThat(rows.get(0).keySet()).containsAll(CaseSolver.COLUMNS);
    assertThat(rows)
        .extracting(r -> r.get("status"))
        .containsExactly("ok", "error", "error", "error", "error", "ok", "error");
    assertThat(rows)
        .extracting(r -> r.get("error_kind"))
        .containsExactly(
            "",
            "unsupported_combination",
            "invalid_argument",
            "invalid_argument",
            "target_unreachable",
            "",
            "invalid_argument");
    Map<String, String> a = rows.get(0);
    assertThat(Double.parseDouble(a.get("alpha_input_scale")))
        .isCloseTo(1.3143569000297382, within(1e-9));
    assertThat(Double.parseDouble(a.get("network_C_slope_at_1"))).isCloseTo(1.5, within(1e-8));
    assertThat(Double.parseDouble(a.get("seconds"))).isPositive();
    assertThat(rows.get(3).get("error_message")).contains("num_nonlinear_layers");
    assertThat(rows.get(5).get("C_curv_at_1")).isEmpty();
    assertThat(Double.parseDouble(rows.get(5).get("network_C_at_0"))).isCloseTo(0.9, within(1e-7));
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(DksCommand.execute("solve", "--out", dir.resolve("x.csv").toString())).isEqualTo(2);
    assertThat(
            DksCommand.execute(
                "solve",
                "--in",
                dir.resolve("missing.csv").toString(),
                "--out",
                dir.resolve("x.csv").toString()))
        .isEqualTo(2);
    assertThat(
            DksCommand.execute("maps", "--activation", "tanh", "--depth", "5", "--format", "xml"))
        .isEqualTo(2);
    assertThat(DksCommand.execute("maps", "--activation", "tanh", "--depth", "5", "--zeta", "0.5"))
        .isEqualTo(2);
    assertThat(
            DksCommand.execute("maps", "--activation", "tanh", "--depth", "5", "--quadrature", "x"))
        .isEqualTo(2);
    assertThat(DksCommand.execute("frobnicate")).isEqualTo(2);
    assertThat(DksCommand.execute()).isEqualTo(2);
  }

  @Test
  void mapsPrintsTransformDiagnosticsAndCurvesAsJson() throws IOException {
    String json =
        stdout(
            () ->
                assertThat(
                        DksCommand.execute(
                            "maps",
                            "--activation",
                            "tanh",
                            "--method",
                            "tat",
                            "--depth",
                            "20",
                            "--points",
                            "5",
                            "--format",
                            "json"))
                    .isZero());
    JsonNode doc = new ObjectMapper().readTree(json);
    assertThat(doc.get("activation").asText()).isEqualTo("tanh");
    assertThat(doc.get("network_C_curv_at_1").asDouble()).isCloseTo(0.3, within(1e-8));
    assertThat(doc.get("curves").get("c")).hasSize(5);
    assertThat(doc.get("curves").get("networkC").get(4).asDouble()).isCloseTo(1, within(1e-9));
  }

  @Test
  void mapsPrintsCsvAndExitsWithOneOnInfeasibleCells() {
    String csv =
        stdout(
            () ->
                assertThat(
                        DksCommand.execute(
                            "maps", "--activation", "softplus", "--depth", "10", "--points", "3"))
                    .isZero());
    assertThat(csv).contains("# alpha=").contains("q,local_Q,network_Q,c,local_C");
    assertThat(csv.lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(4);
    assertThat(
            DksCommand.execute(
                "maps", "--activation", "leaky_relu", "--method", "tat", "--depth", "5"))
        .isEqualTo(1);
  }
}
