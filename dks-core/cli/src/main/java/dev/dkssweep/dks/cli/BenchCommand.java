package dev.dkssweep.dks.cli;

import dev.dkssweep.dks.exception.ShapingException;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.shaping.Shaper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dks bench --in VECTORS.csv}: times every case (median of repeats, after one warm-up pass
 * over all cases) and compares it with the reference's {@code runtime_s} column.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Times the solve of every case (transform and kernel diagnostics; median of --repeat"
            + " runs, no cache, after a warm-up pass) and compares with the reference's recorded"
            + " runtime_s column when present.")
final class BenchCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--in", required = true, description = "cases CSV, e.g. the reference vectors")
  Path in;

  @Option(names = "--repeat", defaultValue = "5", description = "timed runs per case")
  int repeat;

  @Option(names = "--quadrature", defaultValue = "accurate", description = "accurate or reference")
  String quadrature;

  @Option(names = "--allow-ill-posed-tat", description = "TAT for selu (Dirac mass ignored)")
  boolean allowIllPosedTat;

  record Timing(String caseId, String label, String status, double ours, double reference) {}

  @Override
  public Integer call() throws IOException {
    if (repeat < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--repeat: must be >= 1");
    }
    GaussianQuadrature q = Options.quadrature(spec, quadrature);
    List<Map<String, String>> rows;
    try (Reader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      rows = CsvTables.read(reader);
    }
    Shaper shaper = new Shaper(q); // no cache: every run solves from scratch
    rows.forEach(r -> solveOnce(shaper, CaseSpec.of(r)));
    List<Timing> timings = new ArrayList<>();
    for (Map<String, String> row : rows) {
      CaseSpec cs = CaseSpec.of(row);
      double[] t = new double[repeat];
      String status = "";
      for (int i = 0; i < repeat; i++) {
        long start = System.nanoTime();
        status = solveOnce(shaper, cs);
        t[i] = (System.nanoTime() - start) / 1e9;
      }
      Arrays.sort(t);
      String ref = row.getOrDefault("runtime_s", "");
      timings.add(
          new Timing(
              cs.caseId(),
              cs.activation() + " " + cs.method() + " " + cs.structure() + cs.depth(),
              status,
              t[repeat / 2],
              ref.isBlank() ? Double.NaN : Double.parseDouble(ref)));
    }
    print(timings, q.id());
    return 0;
  }

  /** One solve (transform + kernel diagnostics), as the reference's runtime_s measures it. */
  private String solveOnce(Shaper shaper, CaseSpec cs) {
    try {
      shaper.shape(cs.toRequest(allowIllPosedTat));
      return "ok";
    } catch (ShapingException e) {
      return e.kind().code();
    } catch (IllegalArgumentException e) {
      return "invalid_argument";
    }
  }

  private void print(List<Timing> timings, String quadratureId) {
    System.out.printf(
        Locale.ROOT, "| case | cell | status | ours (ms) | reference (s) | speedup |%n");
    System.out.printf(Locale.ROOT, "|---|---|---|---:|---:|---:|%n");
    List<Double> speedups = new ArrayList<>();
    List<Double> ours = new ArrayList<>();
    for (Timing t : timings) {
      double speedup = t.reference() / t.ours();
      ours.add(t.ours());
      if (!Double.isNaN(speedup)) {
        speedups.add(speedup);
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %.3f | %.4g | %.3gx |%n",
          t.caseId(),
          t.label(),
          t.status(),
          t.ours() * 1e3,
          t.reference(),
          speedup);
    }
    System.out.printf(
        Locale.ROOT,
        "%n%d cases, quadrature %s, median of %d runs each: median time %.3f ms, max %.3f ms;"
            + " speedup over the reference: median %.3gx, min %.3gx, max %.3gx%n",
        timings.size(),
        quadratureId,
        repeat,
        median(ours) * 1e3,
        ours.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN) * 1e3,
        median(speedups),
        speedups.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
        speedups.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
    List<Double> solved =
        timings.stream()
            .filter(t -> t.status().equals("ok") && !Double.isNaN(t.reference()))
            .map(t -> t.reference() / t.ours())
            .toList();
    System.out.printf(
        Locale.ROOT,
        "solved cases only (%d): median speedup %.3gx, min %.3gx%n",
        solved.size(),
        median(solved),
        solved.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
