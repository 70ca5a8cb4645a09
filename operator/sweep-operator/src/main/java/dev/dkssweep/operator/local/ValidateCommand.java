package dev.dkssweep.operator.local;

import dev.dkssweep.operator.run.Reports;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDocuments;
import dev.dkssweep.sweep.model.SweepSpec;
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
    SweepSpec spec = doc.spec().resolved();
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
