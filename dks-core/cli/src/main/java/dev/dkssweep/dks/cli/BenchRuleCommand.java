package dev.dkssweep.dks.cli;

import dev.dkssweep.dks.quadrature.LegendreNodes;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dks bench-rule}: time to build the reference's n-node Gauss-Legendre rule with the O(n)
 * sweep, against Newton's method on the three-term recurrence (O(n) per root, O(n^2) in all), timed
 * on a sample of roots and extrapolated.
 */
@Command(
    name = "bench-rule",
    mixinStandardHelpOptions = true,
    description =
        "Times the O(n) Gauss-Legendre rule of the reference quadrature against Newton on the"
            + " three-term recurrence (timed on --sample roots, extrapolated to n/2).")
final class BenchRuleCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "100000", description = "rule size n")
  int nodes;

  @Option(names = "--repeat", defaultValue = "5", description = "timed builds of the rule")
  int repeat;

  @Option(names = "--sample", defaultValue = "1000", description = "roots timed for the baseline")
  int sample;

  @Override
  public Integer call() {
    if (nodes < 2 || repeat < 1 || sample < 1 || sample > nodes / 2) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "need --nodes >= 2, --repeat >= 1, 1 <= --sample <= nodes / 2");
    }
    LegendreNodes.compute(nodes); // warm-up
    double[] t = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long start = System.nanoTime();
      LegendreNodes.compute(nodes);
      t[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(t);
    int stride = Math.max(1, nodes / 2 / sample);
    long start = System.nanoTime();
    for (int j = 1; j <= sample; j++) {
      LegendreNodes.newtonOnRecurrence(nodes, LegendreNodes.tricomi(nodes, j * stride));
    }
    double perRoot = (System.nanoTime() - start) / 1e9 / sample;
    double baseline = perRoot * (nodes / 2);
    System.out.printf(
        Locale.ROOT,
        "n = %d: O(n) sweep %.1f ms (median of %d); Newton on the recurrence %.3f ms per root,"
            + " %.1f s for %d roots (extrapolated from %d); ratio %.0fx%n",
        nodes,
        t[repeat / 2] * 1e3,
        repeat,
        perRoot * 1e3,
        baseline,
        nodes / 2,
        sample,
        baseline / t[repeat / 2]);
    return 0;
  }
}
