package dev.dkssweep.operator.cli;

import dev.dkssweep.operator.local.Reports;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.Preflight;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dks-sweep validate SWEEP.yaml}: the checks and the kernel preflight, without running. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a sweep file and print its kernel preflight; runs nothing.")
public final class ValidateCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "SWEEP.yaml",
      description = "the sweep (a Sweep resource or its spec)")
  Path file;

  @Override
  public Integer call() {
    SweepDocuments.SweepDocument doc = SpecFiles.read(file, System.err);
    if (doc == null) {
      return 2;
    }
    SweepDefinition spec = doc.definition();
    List<Cell> cells = CellExpander.expand(spec);
    List<Preflight.CellResult> preflight = new Preflight().run(spec, cells);
    System.out.println(
        doc.name()
            + ": "
            + cells.size()
            + " cells x "
            + spec.space().seeds()
            + " seeds = "
            + cells.size() * spec.space().seeds()
            + " trials");
    Reports.printPreflight(System.out, cells, preflight);
    return 0;
  }
}
