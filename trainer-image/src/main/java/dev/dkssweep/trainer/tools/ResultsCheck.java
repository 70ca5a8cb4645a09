package dev.dkssweep.trainer.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The results check of issue 3: 50-layer MLPs on Fashion-MNIST, tanh and softplus with dks,
 * standard and orthogonal, leaky_relu with tat (TReLU), several seeds; each trial a child JVM
 * running the trainer with one thread, {@code --parallel} at a time. Writes a markdown report with
 * mean +- std over seeds of the final validation accuracy and loss into {@code --out}: between the
 * markers {@value #BEGIN} and {@value #END} when the file has them (everything else in the file,
 * commentary and other sections, is kept), else as a new file.
 *
 * <pre>
 * java -cp trainer-image/target/trainer.jar dev.dkssweep.trainer.tools.ResultsCheck --out docs/results.md
 * </pre>
 */
@Command(name = "results-check", mixinStandardHelpOptions = true)
public final class ResultsCheck implements Callable<Integer> {

  @Option(names = "--out", required = true)
  Path out;

  @Option(names = "--work", defaultValue = "target/results-check")
  Path work;

  @Option(names = "--parallel", defaultValue = "2")
  int parallel;

  @Option(names = "--seeds", defaultValue = "3")
  int seeds;

  @Option(names = "--epochs", defaultValue = "2")
  int epochs;

  @Option(names = "--depth", defaultValue = "50")
  int depth;

  @Option(names = "--width", defaultValue = "256")
  int width;

  @Option(names = "--learning-rate", defaultValue = "1e-4", description = "Adam learning rate")
  double learningRate;

  @Option(names = "--train-limit", description = "use only this many training examples")
  Integer trainLimit;

  @Option(
      names = "--engine",
      defaultValue = "auto",
      description = "the trainer's --engine: auto (dense engine for these MLPs), dense or dl4j")
  String engine;

  static final String BEGIN = "<!-- results-check:begin -->";
  static final String END = "<!-- results-check:end -->";

  record Cell(String activation, String method) {}

  record Result(Cell cell, long seed, int exit, JsonNode summary) {}

  static final List<Cell> CELLS =
      List.of(
          new Cell("tanh", "dks"),
          new Cell("tanh", "standard"),
          new Cell("tanh", "orthogonal"),
          new Cell("softplus", "dks"),
          new Cell("softplus", "standard"),
          new Cell("softplus", "orthogonal"),
          new Cell("leaky_relu", "tat"));

  public static void main(String[] args) {
    System.exit(new CommandLine(new ResultsCheck()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    Path jar =
        Path.of(ResultsCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<Future<Result>> futures = new ArrayList<>();
    int index = 0;
    for (Cell cell : CELLS) {
      for (long seed = 1; seed <= seeds; seed++) {
        int trial = index++;
        long s = seed;
        futures.add(pool.submit(() -> runTrial(jar, cell, s, trial)));
      }
    }
    List<Result> results = new ArrayList<>();
    for (Future<Result> f : futures) {
      results.add(f.get());
    }
    pool.shutdown();
    Files.writeString(
        out,
        merge(Files.exists(out) ? Files.readString(out) : null, report(results)),
        StandardCharsets.UTF_8);
    System.err.println("wrote " + out);
    return 0;
  }

  private Result runTrial(Path jar, Cell cell, long seed, int trial)
      throws IOException, InterruptedException {
    String spec =
        """
        {"schemaVersion": 1, "sweep": {"namespace": "local", "name": "results-check", "uid": "results"},
         "trialIndex": %d, "attempt": 1, "seed": %d,
         "model": {"architecture": "mlp", "depth": %d, "width": %d, "activation": "%s", "method": "%s"},
         "data": {"dataset": "fashion-mnist", "validationFraction": 0.1, "batchSize": 128, "pln": true%s},
         "optimisation": {"optimizer": "adam", "learningRate": %s, "schedule": "constant", "epochs": %d, "weightDecay": 0},
         "reporting": {"everySteps": 100}}
        """
            .formatted(
                trial,
                seed,
                depth,
                width,
                cell.activation(),
                cell.method(),
                trainLimit == null ? "" : ", \"trainLimit\": " + trainLimit,
                Double.toString(learningRate),
                epochs);
    Path file = work.resolve("trial-" + trial + ".json");
    Files.writeString(file, spec);
    Path stdout = work.resolve("trial-" + trial + ".out");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--spec",
                file.toString(),
                "--termination-log",
                work.resolve("trial-" + trial + ".summary").toString(),
                "--engine",
                engine)
            .redirectOutput(stdout.toFile())
            .redirectError(work.resolve("trial-" + trial + ".log").toFile());
    pb.environment().put("OMP_NUM_THREADS", "1");
    int exit = pb.start().waitFor();
    JsonNode summary = null;
    for (String line : Files.readAllLines(stdout)) {
      JsonNode node = new ObjectMapper().readTree(line);
      if ("summary".equals(node.path("kind").asText())) {
        summary = node.get("summary");
      }
    }
    System.err.printf("%s %s seed %d: exit %d%n", cell.activation(), cell.method(), seed, exit);
    return new Result(cell, seed, exit, summary);
  }

  /**
   * The report placed between the markers of {@code existing}; a new document when there is none or
   * it has no markers.
   */
  static String merge(String existing, String report) {
    String block = BEGIN + "\n" + report + END + "\n";
    if (existing != null) {
      int b = existing.indexOf(BEGIN);
      int e = existing.indexOf(END);
      if (b >= 0 && e > b) {
        String tail = existing.substring(e + END.length());
        return existing.substring(0, b)
            + block
            + (tail.startsWith("\n") ? tail.substring(1) : tail);
      }
    }
    return "# Results check: deep MLPs on Fashion-MNIST\n\n" + block;
  }

  private String report(List<Result> results) {
    StringBuilder md = new StringBuilder();
    md.append(
            String.format(
                Locale.ROOT,
                "Produced on %s by `java -cp trainer-image/target/trainer.jar"
                    + " dev.dkssweep.trainer.tools.ResultsCheck --out docs/results.md` (defaults:"
                    + " depth %d, width %d, %d epochs, Adam %s, batch 128, PLN, %d seeds; 10%% of"
                    + " the training set held out for validation; one thread per trial, %d at a"
                    + " time; trainer engine %s).%n%n",
                LocalDate.now(),
                depth,
                width,
                epochs,
                learningRate,
                seeds,
                parallel,
                engine))
        .append("| activation | method | n | val accuracy (mean ± std) | val loss (mean ± std) |")
        .append(
            " train accuracy | samples/s | statuses |\n|---|---|---:|---:|---:|---:|---:|---|\n");
    for (Cell cell : CELLS) {
      List<Result> rs = results.stream().filter(r -> r.cell().equals(cell)).toList();
      double[] acc = metric(rs, "val_accuracy");
      double[] loss = metric(rs, "val_loss");
      double[] train = metric(rs, "train_accuracy");
      double sps =
          rs.stream()
              .filter(r -> r.summary() != null)
              .mapToDouble(r -> r.summary().path("samplesPerSecond").asDouble())
              .average()
              .orElse(Double.NaN);
      String statuses =
          String.join(
              ", ",
              rs.stream()
                  .map(
                      r ->
                          r.summary() == null
                              ? "exit " + r.exit()
                              : r.summary().path("status").asText())
                  .toList());
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %s | %s | %s | %.0f | %s |%n",
              cell.activation(),
              cell.method(),
              (int) acc[2],
              pm(acc),
              pm(loss),
              pm(train),
              sps,
              statuses));
    }
    return md.toString();
  }

  /** {mean, std, n} of a final metric over the trials that have it. */
  private static double[] metric(List<Result> rs, String name) {
    double[] v =
        rs.stream()
            .filter(r -> r.summary() != null && r.summary().path("finalMetrics").has(name))
            .mapToDouble(r -> r.summary().path("finalMetrics").path(name).asDouble())
            .toArray();
    double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    double std = v.length > 1 ? Math.sqrt(var / (v.length - 1)) : Double.NaN;
    return new double[] {mean, std, v.length};
  }

  private static String pm(double[] m) {
    return Double.isNaN(m[0]) ? "n/a" : String.format(Locale.ROOT, "%.4f ± %.4f", m[0], m[1]);
  }
}
