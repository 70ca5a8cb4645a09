package dev.dkssweep.dks.cli;

import dev.dkssweep.dks.activation.LeakyRelu;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.exception.ErrorKind;
import dev.dkssweep.dks.exception.ShapingException;
import dev.dkssweep.dks.kernel.LocalDerivatives;
import dev.dkssweep.dks.kernel.LocalMaps;
import dev.dkssweep.dks.shaping.ActivationShape;
import dev.dkssweep.dks.shaping.Shaper;
import dev.dkssweep.dks.shaping.ShapingResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Solves one {@link CaseSpec} and lays the result out in the output columns of {@code solve}. */
final class CaseSolver {

  static final List<String> COLUMNS =
      List.of(
          "case_id",
          "status",
          "error_kind",
          "error_message",
          "alpha_input_scale",
          "beta_input_shift",
          "gamma_output_scale",
          "delta_output_shift",
          "negative_slope",
          "Q_at_0.5",
          "Q_at_1",
          "Q_at_2",
          "C_at_0",
          "C_at_0.5",
          "C_at_0.9",
          "Q_slope_at_1",
          "C_slope_at_1",
          "C_slope_at_0",
          "C_curv_at_1",
          "network_C_slope_at_1",
          "network_C_curv_at_1",
          "network_C_at_0",
          "seconds",
          "local_target_kind",
          "local_target",
          "solver_start_index",
          "solver_starts_tried",
          "solver_evaluations",
          "solver_residual_max",
          "quadrature",
          "note");

  private final Shaper shaper;
  private final boolean allowJumpingDerivative;

  CaseSolver(Shaper shaper, boolean allowJumpingDerivative) {
    this.shaper = shaper;
    this.allowJumpingDerivative = allowJumpingDerivative;
  }

  /** The output row; a bad or infeasible case gives an error row, never an exception. */
  Map<String, String> solve(CaseSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    COLUMNS.forEach(c -> out.put(c, ""));
    out.put("case_id", spec.caseId());
    out.put("quadrature", shaper.quadrature().id());
    long start = System.nanoTime();
    try {
      ShapingResult result = shaper.shape(spec.toRequest(allowJumpingDerivative));
      double seconds = (System.nanoTime() - start) / 1e9;
      fill(out, result);
      out.put("seconds", num(seconds));
    } catch (ShapingException e) {
      error(out, e.kind().code(), e.getMessage(), start);
    } catch (IllegalArgumentException e) {
      error(out, ErrorKind.INVALID_ARGUMENT.code(), e.getMessage(), start);
    } catch (RuntimeException e) {
      // a bug, not bad input: keep going with the other rows and say what happened
      error(out, "internal_error", e.toString(), start);
    }
    return out;
  }

  private static void error(Map<String, String> out, String kind, String message, long start) {
    out.put("status", "error");
    out.put("error_kind", kind);
    out.put("error_message", message);
    out.put("seconds", num((System.nanoTime() - start) / 1e9));
  }

  private void fill(Map<String, String> out, ShapingResult result) {
    ActivationShape shape = result.single();
    TransformedActivation t = shape.transform();
    LocalDerivatives d = shape.diagnostics().local();
    LocalMaps maps = new LocalMaps(t, shaper.quadrature());
    out.put("status", "ok");
    out.put("alpha_input_scale", num(t.alpha()));
    out.put("beta_input_shift", num(t.beta()));
    out.put("gamma_output_scale", num(t.gamma()));
    out.put("delta_output_shift", num(t.delta()));
    out.put("negative_slope", t.base() instanceof LeakyRelu ? num(t.negativeSlope()) : "");
    out.put("Q_at_0.5", num(maps.q(0.5)));
    out.put("Q_at_1", num(d.qAt1()));
    out.put("Q_at_2", num(maps.q(2)));
    out.put("C_at_0", num(d.cAt0()));
    out.put("C_at_0.5", num(maps.c(0.5)));
    out.put("C_at_0.9", num(maps.c(0.9)));
    out.put("Q_slope_at_1", num(d.qSlopeAt1()));
    out.put("C_slope_at_1", num(d.cSlopeAt1()));
    out.put("C_slope_at_0", num(d.cSlopeAt0()));
    List<String> notes = new ArrayList<>(shape.solve().notes());
    boolean curvatureOnlyDirac = d.curvatureInfinite() && d.cCurvAt1() == 0;
    out.put("C_curv_at_1", curvatureOnlyDirac ? "" : num(d.cCurvAt1()));
    if (d.curvatureInfinite()) {
      notes.add(
          curvatureOnlyDirac
              ? "C_curv_at_1 infinite (phi'' is a Dirac mass): left empty"
              : "C_curv_at_1 ignores the Dirac mass of phi'' (true value infinite)");
    }
    out.put("network_C_slope_at_1", num(shape.diagnostics().networkCSlopeAt1()));
    out.put("network_C_curv_at_1", num(shape.diagnostics().networkCCurvAt1()));
    out.put("network_C_at_0", num(shape.diagnostics().networkCAt0()));
    out.put("local_target_kind", result.target().kind());
    out.put("local_target", num(result.target().value()));
    out.put("solver_start_index", Integer.toString(shape.solve().startIndex()));
    out.put("solver_starts_tried", Integer.toString(shape.solve().startsTried()));
    out.put("solver_evaluations", Integer.toString(shape.solve().evaluations()));
    out.put("solver_residual_max", num(shape.solve().residualMax()));
    out.put("note", String.join("; ", notes));
  }

  /** Full precision (round-trip) text; empty for NaN. */
  static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }
}
