package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDefinition;
import java.util.List;

/**
 * The kernel preflight of the scale benchmarks' sweep (not a test; docs/benchmarks.md says how to
 * run it): 4 methods x 5 activations x 5 widths x 2 learning rates x 50 depths = 10,000 cells,
 * 1,000 distinct (method, activation, depth) shapings. Prints the wall time of each of {@code runs}
 * runs, each with a new {@link Preflight} (nothing cached between runs).
 *
 * <p>Arguments: [runs (3)] [methods ("dks, tat, standard, orthogonal")].
 */
public final class PreflightBench {

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    String methods = args.length > 1 ? args[1] : BenchSweeps.METHODS;
    SweepDefinition spec =
        SweepDocuments.read(BenchSweeps.spec(methods, 50, 200), "preflight-bench").definition();
    List<Cell> cells = CellExpander.expand(spec);
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      List<Preflight.CellResult> results = new Preflight().run(spec, cells);
      long infeasible = results.stream().filter(x -> !x.feasible()).count();
      System.out.printf(
          "run %d: %d cells (%d infeasible), preflight %.2f s, %d cores%n",
          r + 1,
          cells.size(),
          infeasible,
          (System.nanoTime() - t0) / 1e9,
          Runtime.getRuntime().availableProcessors());
    }
  }
}
