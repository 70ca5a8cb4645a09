package dev.dkssweep.dks.cli;

import com.fasterxml.jackson.databind.SequenceWriter;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.shaping.Shaper;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dks solve --in CASES.csv --out RESULTS.csv}. */
@Command(
    name = "solve",
    mixinStandardHelpOptions = true,
    description = {
      "Solves every case of a CSV file (columns of the reference vectors: case_id, structure,"
          + " num_nonlinear_layers, activation, method, zeta, local_q_slope_target, tau, eta;"
          + " empty = default) and writes parameters, maps and diagnostics, one row per case.",
      "A bad or infeasible case gives an error row (status error, error_kind, error_message)."
    })
final class SolveCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--in", required = true, description = "input CSV with a header row")
  Path in;

  @Option(names = "--out", required = true, description = "output CSV (overwritten)")
  Path out;

  @Option(
      names = "--quadrature",
      defaultValue = "accurate",
      description =
          "accurate (kink-aware, default) or reference (the reference's 100000-node rule)")
  String quadrature;

  @Option(
      names = "--allow-ill-posed-tat",
      description =
          "solve TAT for activations whose first derivative jumps (selu), ignoring the Dirac"
              + " mass of phi'' as the reference does")
  boolean allowIllPosedTat;

  @Override
  public Integer call() throws IOException {
    GaussianQuadrature q = Options.quadrature(spec, quadrature);
    List<Map<String, String>> rows;
    try (Reader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      rows = CsvTables.read(reader);
    } catch (NoSuchFileException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--in: no such file: " + in);
    }
    if (!rows.isEmpty() && !rows.get(0).containsKey("activation")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--in: the header has no 'activation' column: " + rows.get(0).keySet());
    }
    CaseSolver solver = new CaseSolver(new Shaper(q), allowIllPosedTat);
    int errors = 0;
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        SequenceWriter csv = CsvTables.writer(w, CaseSolver.COLUMNS)) {
      for (Map<String, String> row : rows) {
        Map<String, String> result = solver.solve(CaseSpec.of(row));
        if (!result.get("status").equals("ok")) {
          errors++;
        }
        csv.write(result);
        csv.flush();
      }
    }
    System.err.printf("solved %d case(s), %d error row(s); wrote %s%n", rows.size(), errors, out);
    return 0;
  }
}
