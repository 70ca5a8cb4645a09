package dev.dkssweep.dks;

import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.network.Architecture;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.shaping.ShapingMethod;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The public reference vectors computed with deepmind/dks (copied from the team's shared folder
 * into test resources; see docs/maths.md section 10).
 */
public final class ReferenceVectors {

  /** One row, by column name. */
  public record Row(Map<String, String> columns) {

    public String get(String column) {
      String v = columns.get(column);
      if (v == null) {
        throw new IllegalArgumentException("no column " + column);
      }
      return v;
    }

    public String id() {
      return get("case_id");
    }

    public boolean has(String column) {
      return !get(column).isEmpty();
    }

    public double num(String column) {
      return Double.parseDouble(get(column));
    }

    public boolean ok() {
      return get("status").equals("ok");
    }

    public String activation() {
      return get("activation");
    }

    public boolean flagged(String note) {
      return Set.of(get("note").split(";")).contains(note);
    }

    /** The error kind's code (the text before any parenthesis). */
    public String errorKind() {
      return get("error_kind").split(" ")[0];
    }

    public Architecture architecture() {
      String depth = get("num_nonlinear_layers");
      return Architectures.parse(get("structure"), depth.isEmpty() ? null : Integer.valueOf(depth));
    }

    /** The method with the row's parameters; TAT on SELU is allowed as in the reference. */
    public ShapingMethod method() {
      if (get("method").equals("DKS")) {
        return new ShapingMethod.Dks(
            has("zeta") ? num("zeta") : ShapingMethod.Dks.DEFAULT_ZETA,
            has("local_q_slope_target")
                ? num("local_q_slope_target")
                : ShapingMethod.Dks.DEFAULT_LOCAL_Q_SLOPE);
      }
      boolean jumps = Activations.byName(activation()).firstDerivativeJumps();
      return new ShapingMethod.Tat(
          has("tau") ? num("tau") : ShapingMethod.Tat.DEFAULT_TAU,
          has("eta") ? num("eta") : ShapingMethod.Tat.DEFAULT_ETA,
          jumps);
    }

    @Override
    public String toString() {
      return id()
          + " "
          + activation()
          + " "
          + get("method")
          + " "
          + get("structure")
          + get("num_nonlinear_layers");
    }
  }

  private ReferenceVectors() {}

  public static List<Row> load() {
    try (var in =
        new BufferedReader(
            new InputStreamReader(
                ReferenceVectors.class.getResourceAsStream("reference-public.csv"),
                StandardCharsets.UTF_8))) {
      String[] header = in.readLine().split(",", -1);
      List<Row> rows = new ArrayList<>();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
          m.put(header[i], i < cells.length ? cells[i] : "");
        }
        rows.add(new Row(m));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
