package dev.dkssweep.sweep.planning;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The sweep of the scale benchmarks (ScaleBench, SweepUnderLoadBench, {@link PreflightBench}): 5
 * activations x 5 widths x 2 learning rates x the methods x depths 2, 4, ..., 1 seed, 1 epoch, no
 * retries; with the four methods, 200 cells per depth.
 */
public final class BenchSweeps {

  private BenchSweeps() {}

  /** The four methods the benchmarks sweep by default. */
  public static final String METHODS = "dks, tat, standard, orthogonal";

  /**
   * The spec's YAML (the document's top level in local mode, {@code spec} of the Sweep resource).
   *
   * @param methods the method list's items, comma-separated
   * @param depths how many depths (2, 4, ...)
   */
  public static String spec(String methods, int depths, int parallelism) {
    String depthList =
        IntStream.rangeClosed(1, Math.max(1, depths))
            .mapToObj(d -> Integer.toString(2 * d))
            .collect(Collectors.joining(", "));
    return """
        objective: {metric: val_accuracy, goal: maximize, reduce: max}
        space:
          method: [%s]
          activation: [tanh, softplus, sigmoid, swish, gelu]
          depth: [%s]
          width: [16, 32, 64, 128, 256]
          learningRate: {values: [0.001, 0.01]}
          dataset: [synthetic-clusters]
          epochs: 1
        parallelism: %d
        retry: {maxRetries: 0}
        """
        .formatted(methods, depthList, parallelism);
  }

  /** The spec of about {@code trials} trials with the four methods (200 per depth). */
  public static String spec(int trials, int parallelism) {
    return spec(METHODS, trials / 200, parallelism);
  }
}
