package dev.dkssweep.sweep.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The results CSV that {@code dks-sweep run --results} writes (one row per cell: its objective's
 * mean, std and n over the seeds that succeeded), read back for {@link DepthClaims}.
 */
public final class ResultsCsv {

  /** The columns besides {@code METRIC_mean} and {@code METRIC_std}. */
  static final List<String> COLUMNS =
      List.of(
          "cell",
          "method",
          "activation",
          "architecture",
          "depth",
          "width",
          "learning_rate",
          "dataset",
          "n",
          "skipped",
          "feasible",
          "reason");

  /** The file: the objective's metric and the rows in file order. */
  public record Table(String metric, List<Row> rows) {}

  /**
   * One cell of the run.
   *
   * @param mean null when no seed succeeded
   * @param std null when no seed succeeded
   * @param reason why the cell was skipped or failed (empty when neither)
   */
  public record Row(
      int cell,
      String arm,
      String activation,
      String architecture,
      int depth,
      int width,
      double learningRate,
      String dataset,
      Double mean,
      Double std,
      int n,
      int skipped,
      boolean feasible,
      String reason) {}

  private ResultsCsv() {}

  /**
   * Reads a results CSV.
   *
   * @throws IllegalArgumentException naming the line and column of anything unreadable
   */
  public static Table read(Reader in) throws IOException {
    CsvMapper mapper = new CsvMapper();
    List<Row> rows = new ArrayList<>();
    String metric = null;
    try (MappingIterator<Map<String, String>> it =
        mapper
            .readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(in)) {
      CsvSchema header = (CsvSchema) it.getParserSchema();
      for (String column : COLUMNS) {
        if (header.column(column) == null) {
          throw new IllegalArgumentException(
              "results CSV: no column '" + column + "' (is it the file `run --results` wrote?)");
        }
      }
      for (CsvSchema.Column c : header) {
        if (c.getName().endsWith("_mean")) {
          metric = c.getName().substring(0, c.getName().length() - "_mean".length());
        }
      }
      if (metric == null || header.column(metric + "_std") == null) {
        throw new IllegalArgumentException(
            "results CSV: no METRIC_mean and METRIC_std columns (is it the file `run --results`"
                + " wrote?)");
      }
      int line = 1;
      while (it.hasNextValue()) {
        line++;
        Map<String, String> m = it.nextValue();
        rows.add(row(m, metric, line));
      }
    }
    return new Table(metric, List.copyOf(rows));
  }

  private static Row row(Map<String, String> m, String metric, int line) {
    return new Row(
        integer(m, "cell", line),
        text(m, "method", line),
        text(m, "activation", line),
        text(m, "architecture", line),
        integer(m, "depth", line),
        integer(m, "width", line),
        number(m, "learning_rate", line),
        text(m, "dataset", line),
        optionalNumber(m, metric + "_mean", line),
        optionalNumber(m, metric + "_std", line),
        integer(m, "n", line),
        integer(m, "skipped", line),
        Boolean.parseBoolean(text(m, "feasible", line)),
        m.getOrDefault("reason", ""));
  }

  private static String text(Map<String, String> m, String column, int line) {
    String v = m.get(column);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("results CSV line " + line + ": " + column + " is empty");
    }
    return v.strip();
  }

  private static int integer(Map<String, String> m, String column, int line) {
    String v = text(m, column, line);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "results CSV line " + line + ": " + column + " must be an integer, got '" + v + "'");
    }
  }

  private static double number(Map<String, String> m, String column, int line) {
    String v = text(m, column, line);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "results CSV line " + line + ": " + column + " must be a number, got '" + v + "'");
    }
  }

  private static Double optionalNumber(Map<String, String> m, String column, int line) {
    String v = m.get(column);
    return v == null || v.isBlank() ? null : number(m, column, line);
  }
}
