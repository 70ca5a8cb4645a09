package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDefinition;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
    String methods = args.length > 1 ? args[1] : "dks, tat, standard, orthogonal";
    String depths =
        IntStream.rangeClosed(1, 50)
            .mapToObj(d -> Integer.toString(2 * d))
            .collect(Collectors.joining(", "));
    SweepDefinition spec =
        SweepDocuments.read(
                """
                objective: {metric: val_accuracy, goal: maximize, reduce: max}
                space:
                  method: [%s]
                  activation: [tanh, softplus, sigmoid, swish, gelu]
                  depth: [%s]
                  width: [16, 32, 64, 128, 256]
                  learningRate: {values: [0.001, 0.01]}
                  dataset: [synthetic-clusters]
                  epochs: 1
                parallelism: 200
                """
                    .formatted(methods, depths),
                "preflight-bench")
            .definition();
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
