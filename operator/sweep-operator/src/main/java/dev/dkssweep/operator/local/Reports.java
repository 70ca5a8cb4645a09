package dev.dkssweep.operator.local;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.planning.SeedAggregate;
import dev.dkssweep.sweep.store.StoredTrial;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The preflight table, the final results table and its CSV. */
public final class Reports {

  private Reports() {}

  /** One row of the results: a cell and its objective over seeds. */
  public record CellRow(
      Cell cell,
      SeedAggregate aggregate,
      int earlyStopped,
      int skipped,
      boolean feasible,
      String reason) {}

  /** Per cell: mean, std and n of the objective over the seeds that succeeded. */
  public static List<CellRow> results(
      List<Cell> cells, List<Preflight.CellResult> preflight, List<StoredTrial> trials) {
    Map<Integer, List<StoredTrial>> byCell = new LinkedHashMap<>();
    for (StoredTrial t : trials) {
      byCell.computeIfAbsent(t.cellIndex(), k -> new ArrayList<>()).add(t);
    }
    List<CellRow> rows = new ArrayList<>();
    for (Cell c : cells) {
      List<Double> values = new ArrayList<>();
      int diverged = 0;
      int failed = 0;
      int early = 0;
      int skipped = 0;
      String reason = preflight.get(c.index()).reason();
      for (StoredTrial t : byCell.getOrDefault(c.index(), List.of())) {
        switch (t.state()) {
          case SUCCEEDED -> {
            if (t.objective() != null) {
              values.add(t.objective());
            }
          }
          case DIVERGED -> diverged++;
          case FAILED -> {
            failed++;
            reason = reason == null ? t.failureReason() : reason;
          }
          case EARLY_STOPPED -> early++;
          case SKIPPED -> {
            skipped++;
            reason = reason == null ? t.failureReason() : reason;
          }
          default -> {}
        }
      }
      rows.add(
          new CellRow(
              c,
              SeedAggregate.of(c.index(), values, diverged, failed),
              early,
              skipped,
              preflight.get(c.index()).feasible(),
              reason));
    }
    return rows;
  }

  public static void printResults(PrintStream out, String metric, List<CellRow> rows) {
    String header =
        String.format(
            "%-10s %-11s %6s %6s %10s  %-34s %s",
            "method", "activation", "depth", "width", "lr", metric + " (mean ± std, n)", "notes");
    out.println(header);
    out.println("-".repeat(header.length() + 8));
    for (CellRow r : rows) {
      Cell c = r.cell();
      String notes =
          (r.earlyStopped() > 0 ? r.earlyStopped() + " early-stopped " : "")
              + (r.skipped() > 0 ? "skipped: " + shorten(r.reason(), 60) : "")
              + (r.aggregate().failed() > 0 && r.skipped() == 0
                  ? "failed: " + shorten(r.reason(), 60)
                  : "");
      out.println(
          String.format(
              Locale.ROOT,
              "%-10s %-11s %6d %6d %10s  %-34s %s",
              c.arm(),
              c.activation(),
              c.depth(),
              c.width(),
              Cell.plain(c.learningRate()),
              r.aggregate().format(),
              notes.strip()));
    }
  }

  public static void writeCsv(Path file, String metric, List<CellRow> rows) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("cell,method,activation,architecture,depth,width,learning_rate,dataset,")
        .append(metric)
        .append("_mean,")
        .append(metric)
        .append("_std,n,diverged,failed,early_stopped,skipped,feasible,reason\n");
    for (CellRow r : rows) {
      Cell c = r.cell();
      SeedAggregate a = r.aggregate();
      b.append(c.index()).append(',');
      b.append(c.arm()).append(',');
      b.append(c.activation()).append(',');
      b.append(c.architecture().code()).append(',');
      b.append(c.depth()).append(',');
      b.append(c.width()).append(',');
      b.append(Cell.plain(c.learningRate())).append(',');
      b.append(c.dataset()).append(',');
      b.append(a.n() == 0 ? "" : Double.toString(a.mean())).append(',');
      b.append(a.n() == 0 ? "" : Double.toString(a.std())).append(',');
      b.append(a.n()).append(',');
      b.append(a.diverged()).append(',');
      b.append(a.failed()).append(',');
      b.append(r.earlyStopped()).append(',');
      b.append(r.skipped()).append(',');
      b.append(r.feasible()).append(',');
      b.append(csv(r.reason())).append('\n');
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  /** The kernel preflight: one row per distinct (method, activation, depth). */
  public static void printPreflight(
      PrintStream out, List<Cell> cells, List<Preflight.CellResult> preflight) {
    String header =
        String.format(
            "%-10s %-11s %6s  %9s %9s %9s %9s  %11s %11s %9s  %s",
            "method",
            "activation",
            "depth",
            "alpha",
            "beta",
            "gamma",
            "delta",
            "net C'(1)",
            "net C''(1)",
            "net C(0)",
            "status");
    out.println(header);
    out.println("-".repeat(header.length() + 4));
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (Cell c : cells) {
      String key = c.arm() + "/" + c.activation() + "/" + c.depth();
      if (seen.put(key, true) != null) {
        continue;
      }
      Preflight.CellResult r = preflight.get(c.index());
      if (r.transform() == null) {
        out.println(
            String.format(
                "%-10s %-11s %6d  %-84s %s",
                c.arm(),
                c.activation(),
                c.depth(),
                r.feasible() ? "(batch norm: no kernel prediction)" : "",
                r.feasible() ? "ok" : "SKIPPED: " + r.reason()));
        continue;
      }
      Preflight.Transform t = r.transform();
      Preflight.Diagnostics d = r.diagnostics();
      out.println(
          String.format(
              Locale.ROOT,
              "%-10s %-11s %6d  %9.4g %9.4g %9.4g %9.4g  %11.4g %11.4g %9.4g  %s",
              c.arm(),
              c.activation(),
              c.depth(),
              t.alpha(),
              t.beta(),
              t.gamma(),
              t.delta(),
              d.networkCSlopeAt1(),
              d.networkCCurvAt1(),
              d.networkCAt0(),
              "ok"));
    }
  }

  private static String shorten(String s, int max) {
    if (s == null) {
      return "";
    }
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }

  private static String csv(String s) {
    if (s == null) {
      return "";
    }
    return "\"" + s.replace("\"", "\"\"").replace('\n', ' ') + "\"";
  }
}
