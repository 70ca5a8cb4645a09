package dev.dkssweep.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.operator.local.Reports;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.planning.SeedAggregate;
import dev.dkssweep.sweep.report.ResultsCsv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dks-sweep report}: the results CSV of a run, read back against its sweep file. */
class ReportCommandTest {

  static final String SWEEP =
      """
      apiVersion: dkssweep.dev/v1alpha1
      kind: Sweep
      metadata: {name: depth-check}
      spec:
        objective: {metric: val_accuracy, goal: maximize, reduce: max}
        space:
          method: [dks, standard]
          activation: [tanh]
          depth: [4, 40]
          learningRate: [0.001, 0.01]
          seeds: 2
      """;

  /**
   * Two seeds per cell, in the expander's order (depth, then method, then learning rate): dks flat
   * with depth, standard at chance at depth 40.
   */
  static final double[][] SEEDS = {
    {0.90, 0.92}, {0.91, 0.93}, {0.88, 0.86}, {0.80, 0.82},
    {0.88, 0.90}, {0.90, 0.90}, {0.11, 0.10}, {0.12, 0.10},
  };

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int execute(String... args) {
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new CommandLine(new Main()).execute(args);
    } finally {
      System.setErr(saved);
    }
  }

  /** The CSV as {@code run --results} writes it, for the cells of {@link #SWEEP}. */
  static void writeResults(Path csv) throws Exception {
    SweepDocuments.SweepDocument doc = SweepDocuments.read(SWEEP, "depth-check");
    List<Cell> cells = CellExpander.expand(doc.definition());
    List<Preflight.CellResult> preflight = new Preflight().run(doc.definition(), cells);
    List<Reports.CellRow> rows = new ArrayList<>();
    for (Cell c : cells) {
      double[] v = SEEDS[c.index()];
      rows.add(
          new Reports.CellRow(
              c, SeedAggregate.of(c.index(), List.of(v[0], v[1]), 0, 0), 0, 0, true, null));
    }
    Reports.writeCsv(csv, "val_accuracy", rows);
  }

  @Test
  void readsBackTheCsvThatRunWrites(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("r.csv");
    writeResults(csv);
    ResultsCsv.Table t = ResultsCsv.read(new StringReader(Files.readString(csv)));
    assertThat(t.metric()).isEqualTo("val_accuracy");
    assertThat(t.rows()).hasSize(8);
    ResultsCsv.Row r = t.rows().get(6); // standard d40 lr 0.001
    assertThat(r.arm()).isEqualTo("standard");
    assertThat(r.depth()).isEqualTo(40);
    assertThat(r.learningRate()).isEqualTo(0.001);
    assertThat(r.mean()).isCloseTo(0.105, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(r.n()).isEqualTo(2);
  }

  @Test
  void writesTheReportBetweenItsMarkersAndKeepsTheRestOfTheFile(@TempDir Path dir)
      throws Exception {
    Path sweep = dir.resolve("depth-check.yaml");
    Files.writeString(sweep, SWEEP);
    Path csv = dir.resolve("r.csv");
    writeResults(csv);
    Path md = dir.resolve("results.md");
    Files.writeString(md, "# Results\n\nCommentary above.\n");

    assertThat(
            execute(
                "report", sweep.toString(), "--results", csv.toString(), "--out", md.toString()))
        .as(err.toString())
        .isEqualTo(0);
    String first = Files.readString(md);
    assertThat(first)
        .startsWith(
            "# Results\n\nCommentary above.\n\n<!-- dks-sweep report depth-check: begin -->\n")
        .endsWith("<!-- dks-sweep report depth-check: end -->\n")
        .contains("chance is 0.100")
        .contains("- standard tanh: at chance at depth 40, trains at depth 4")
        .contains("- dks tanh: 0.920 ± 0.014 at depth 4, 0.900 ± 0.000 at depth 40: flat")
        // the preflight of the same file: DKS holds C'(1) at zeta = 1.5, standard tanh does not
        .contains("The kernel preflight of depth-check")
        .containsPattern("dks +tanh +40 .* 1\\.500 ");

    // a second run replaces the block; what the user wrote around it stays
    Files.writeString(md, first + "\nCommentary below.\n");
    assertThat(
            execute(
                "report", sweep.toString(), "--results", csv.toString(), "--out", md.toString()))
        .isEqualTo(0);
    assertThat(Files.readString(md)).isEqualTo(first + "\nCommentary below.\n");
  }

  @Test
  void refusesResultsOfAnotherSweepNamingTheCell(@TempDir Path dir) throws Exception {
    Path sweep = dir.resolve("other.yaml");
    Files.writeString(sweep, SWEEP.replace("depth: [4, 40]", "depth: [4, 50]"));
    Path csv = dir.resolve("r.csv");
    writeResults(csv);
    assertThat(execute("report", sweep.toString(), "--results", csv.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("was not written by")
        .contains(
            "its cell 4 is dks tanh d40 w128 lr0.001, the sweep's is dks tanh d50 w128 lr0.001");
  }

  @Test
  void asksForTheChanceLevelWhereThereIsNoDefault(@TempDir Path dir) throws Exception {
    Path sweep = dir.resolve("depth-check.yaml");
    Files.writeString(
        sweep, SWEEP.replace("learningRate:", "dataset: [synthetic-clusters]\n    learningRate:"));
    Path csv = dir.resolve("r.csv");
    writeResults(csv);
    Files.writeString(csv, Files.readString(csv).replace("fashion-mnist", "synthetic-clusters"));
    assertThat(execute("report", sweep.toString(), "--results", csv.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--chance is needed");
    assertThat(execute("report", sweep.toString(), "--results", csv.toString(), "--chance", "0.25"))
        .as(err.toString())
        .isEqualTo(0);
  }

  @Test
  void aMissingResultsFileIsAUsageError(@TempDir Path dir) throws Exception {
    Path sweep = dir.resolve("depth-check.yaml");
    Files.writeString(sweep, SWEEP);
    assertThat(execute("report", sweep.toString(), "--results", dir.resolve("none.csv").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("none.csv: no such file");
  }
}
