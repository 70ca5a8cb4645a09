package dev.dkssweep.operator.cli;

import dev.dkssweep.operator.local.Reports;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.report.DepthClaims;
import dev.dkssweep.sweep.report.ResultsCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dks-sweep report SWEEP.yaml --results RESULTS.csv}: what a finished sweep's results say
 * about the DKS/TAT depth claims ({@link DepthClaims}), with the kernel preflight of the same sweep
 * file; markdown on stdout, or between markers in {@code --out} (the rest of that file is kept).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write, claim by claim, what a sweep's results CSV shows about the DKS/TAT depth claims"
            + " (markdown); runs nothing.")
public final class ReportCommand implements Callable<Integer> {

  /** Data sets with ten balanced classes: chance accuracy is 0.1. */
  static final Set<String> TEN_CLASSES = Set.of("fashion-mnist", "mnist");

  @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "the sweep that was run")
  Path file;

  @Option(
      names = "--results",
      required = true,
      paramLabel = "CSV",
      description = "the results CSV its run wrote (run --results)")
  Path results;

  @Option(
      names = "--out",
      paramLabel = "FILE.md",
      description =
          "write the report into this markdown file, between its markers for this sweep (added at"
              + " the end when absent); default: stdout")
  Path out;

  @Option(
      names = "--chance",
      paramLabel = "VALUE",
      description =
          "the objective of a network that guesses (default 0.1 for accuracy on mnist and"
              + " fashion-mnist; required otherwise)")
  Double chance;

  @Override
  public Integer call() {
    SweepDocuments.SweepDocument doc = SpecFiles.read(file, System.err);
    if (doc == null) {
      return 2;
    }
    SweepDefinition spec = doc.definition();
    List<Cell> cells = CellExpander.expand(spec);
    ResultsCsv.Table table;
    try (Reader in = Files.newBufferedReader(results, StandardCharsets.UTF_8)) {
      table = ResultsCsv.read(in);
    } catch (NoSuchFileException e) {
      System.err.println("error: --results " + results + ": no such file");
      return 2;
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("error: --results " + results + ": " + e.getMessage());
      return 2;
    }
    String mismatch = mismatch(cells, table);
    if (mismatch != null) {
      System.err.println(
          "error: --results "
              + results
              + " was not written by "
              + file
              + ": "
              + mismatch
              + " (give the sweep file that was run)");
      return 2;
    }
    Double guess = chance != null ? chance : defaultChance(spec, table);
    if (guess == null) {
      System.err.println(
          "error: --chance is needed: no default chance level for "
              + table.metric()
              + " on "
              + spec.space().datasets()
              + " (give the objective of a network that guesses)");
      return 2;
    }
    List<Preflight.CellResult> preflight = new Preflight().run(spec, cells);
    DepthClaims claims =
        new DepthClaims(
            table, i -> kernel(preflight.get(i)), guess, spec.objective().goal() == Goal.MAXIMIZE);
    String report = report(doc.name(), claims, cells, preflight);
    if (out == null) {
      System.out.print(report);
      return 0;
    }
    try {
      String existing = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : null;
      Files.writeString(out, place(doc.name(), existing, report), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("error: --out " + out + ": " + e.getMessage());
      return 1;
    }
    System.out.println("Written to " + out);
    return 0;
  }

  /** Why the table is not this sweep's (a row whose cell differs), or null. */
  static String mismatch(List<Cell> cells, ResultsCsv.Table table) {
    for (ResultsCsv.Row r : table.rows()) {
      if (r.cell() < 0 || r.cell() >= cells.size()) {
        return "it has cell " + r.cell() + ", the sweep " + cells.size() + " cells";
      }
      Cell c = cells.get(r.cell());
      boolean same =
          c.arm().equals(r.arm())
              && c.activation().equals(r.activation())
              && c.architecture().code().equals(r.architecture())
              && c.depth() == r.depth()
              && c.width() == r.width()
              && c.learningRate() == r.learningRate()
              && c.dataset().equals(r.dataset());
      if (!same) {
        return "its cell "
            + r.cell()
            + " is "
            + r.arm()
            + " "
            + r.activation()
            + " d"
            + r.depth()
            + " w"
            + r.width()
            + " lr"
            + Cell.plain(r.learningRate())
            + ", the sweep's is "
            + c.label();
      }
    }
    return null;
  }

  static Double defaultChance(SweepDefinition spec, ResultsCsv.Table table) {
    boolean accuracy = table.metric().endsWith("accuracy");
    return accuracy && TEN_CLASSES.containsAll(spec.space().datasets()) ? 0.1 : null;
  }

  static DepthClaims.Kernel kernel(Preflight.CellResult r) {
    if (r == null || r.diagnostics() == null) {
      return null;
    }
    Preflight.Diagnostics d = r.diagnostics();
    return new DepthClaims.Kernel(d.networkCSlopeAt1(), d.networkCAt0(), d.degeneracy());
  }

  static String begin(String name) {
    return "<!-- dks-sweep report " + name + ": begin -->";
  }

  static String end(String name) {
    return "<!-- dks-sweep report " + name + ": end -->";
  }

  private static String report(
      String name, DepthClaims claims, List<Cell> cells, List<Preflight.CellResult> preflight) {
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    try (PrintStream p = new PrintStream(table, true, StandardCharsets.UTF_8)) {
      Reports.printPreflight(p, cells, preflight);
    }
    return claims.markdown()
        + "<details><summary>The kernel preflight of "
        + name
        + " (every network's transform and C map values)</summary>\n\n```text\n"
        + table.toString(StandardCharsets.UTF_8)
        + "```\n</details>\n";
  }

  /** The report between this sweep's markers in {@code existing}; appended when it has none. */
  static String place(String name, String existing, String report) {
    String block = begin(name) + "\n" + report + end(name) + "\n";
    if (existing == null || existing.isEmpty()) {
      return block;
    }
    int b = existing.indexOf(begin(name));
    int e = existing.indexOf(end(name));
    if (b >= 0 && e > b) {
      String tail = existing.substring(e + end(name).length());
      return existing.substring(0, b) + block + (tail.startsWith("\n") ? tail.substring(1) : tail);
    }
    return existing + (existing.endsWith("\n") ? "\n" : "\n\n") + block;
  }
}
