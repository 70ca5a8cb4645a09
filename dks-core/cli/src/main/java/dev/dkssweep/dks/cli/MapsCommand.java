package dev.dkssweep.dks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dkssweep.dks.activation.LeakyRelu;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import dev.dkssweep.dks.exception.ShapingException;
import dev.dkssweep.dks.kernel.LocalDerivatives;
import dev.dkssweep.dks.kernel.MapCurves;
import dev.dkssweep.dks.shaping.ActivationShape;
import dev.dkssweep.dks.shaping.Shaper;
import dev.dkssweep.dks.shaping.ShapingRequest;
import dev.dkssweep.dks.shaping.ShapingResult;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dks maps --activation tanh --method dks --depth 50 [--format csv|json]}. */
@Command(
    name = "maps",
    mixinStandardHelpOptions = true,
    description =
        "Solves one cell and prints its transform, kernel diagnostics and the local and network"
            + " Q map (q in [0, 3]) and C map (c in [-1, 1]), transformed and untransformed.")
final class MapsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--activation", required = true, description = "e.g. tanh, softplus, leaky_relu")
  String activation;

  @Option(names = "--method", defaultValue = "dks", description = "dks, tat or untransformed")
  String method;

  @Option(names = "--depth", description = "activation layers (for --structure mlp or cnn)")
  Integer depth;

  @Option(
      names = "--structure",
      defaultValue = "mlp",
      description = "mlp, cnn or resnet<depth>_<v1|v2>_sw<weight>, e.g. resnet101_v2_sw0.6")
  String structure;

  @Option(names = "--zeta", description = "DKS network C'(1) target (default 1.5)")
  String zeta = "";

  @Option(names = "--q-slope", description = "DKS local Q'(1) target (default 1)")
  String qSlope = "";

  @Option(names = "--tau", description = "TAT network C''(1) target (default 0.3)")
  String tau = "";

  @Option(names = "--eta", description = "TAT Leaky ReLU network C(0) target (default 0.9)")
  String eta = "";

  @Option(names = "--points", defaultValue = "41", description = "grid points per curve")
  int points;

  @Option(names = "--format", defaultValue = "csv", description = "csv or json")
  String format;

  @Option(names = "--quadrature", defaultValue = "accurate", description = "accurate or reference")
  String quadrature;

  @Option(names = "--allow-ill-posed-tat", description = "TAT for selu (Dirac mass ignored)")
  boolean allowIllPosedTat;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("csv") && !format.equals("json")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format: use csv or json, not '" + format + "'");
    }
    if (points < 2) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--points: must be >= 2");
    }
    Shaper shaper = new Shaper(Options.quadrature(spec, quadrature));
    CaseSpec cell =
        new CaseSpec(
            "maps",
            structure,
            depth == null ? "" : depth.toString(),
            activation,
            method,
            zeta,
            qSlope,
            tau,
            eta);
    ShapingResult result;
    try {
      ShapingRequest request = cell.toRequest(allowIllPosedTat);
      result = shaper.shape(request);
    } catch (InvalidArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (ShapingException e) {
      System.err.println("error: " + e.kind().code() + ": " + e.getMessage());
      return 1;
    }
    ActivationShape shape = result.single();
    MapCurves curves =
        MapCurves.of(
            shape.transform(), result.request().architecture(), shaper.quadrature(), points);
    Map<String, Object> summary = summary(result, shape, shaper.quadrature().id());
    PrintStream out = System.out;
    if (format.equals("json")) {
      Map<String, Object> doc = new LinkedHashMap<>(summary);
      doc.put("curves", curves);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      printCsv(out, summary, curves);
    }
    return 0;
  }

  private static Map<String, Object> summary(
      ShapingResult result, ActivationShape shape, String quadrature) {
    TransformedActivation t = shape.transform();
    LocalDerivatives d = shape.diagnostics().local();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activation", t.base().id());
    m.put("method", result.request().method().id());
    m.put("structure", result.request().architecture().key());
    m.put("quadrature", quadrature);
    m.put("alpha", t.alpha());
    m.put("beta", t.beta());
    m.put("gamma", t.gamma());
    m.put("delta", t.delta());
    if (t.base() instanceof LeakyRelu) {
      m.put("negative_slope", t.negativeSlope());
    }
    m.put("local_target_kind", result.target().kind());
    m.put("local_target", result.target().value());
    m.put("Q_at_1", d.qAt1());
    m.put("Q_slope_at_1", d.qSlopeAt1());
    m.put("C_at_0", d.cAt0());
    m.put("C_slope_at_0", d.cSlopeAt0());
    m.put("C_slope_at_1", d.cSlopeAt1());
    m.put("C_curv_at_1", d.curvatureInfinite() ? "infinite" : d.cCurvAt1());
    m.put("network_C_slope_at_1", shape.diagnostics().networkCSlopeAt1());
    m.put("network_C_curv_at_1", shape.diagnostics().networkCCurvAt1());
    m.put("network_C_at_0", shape.diagnostics().networkCAt0());
    m.put("solver_residual_max", shape.solve().residualMax());
    m.put("notes", shape.solve().notes());
    return m;
  }

  private static void printCsv(PrintStream out, Map<String, Object> summary, MapCurves c) {
    summary.forEach((k, v) -> out.println("# " + k + "=" + v));
    out.println(
        "q,local_Q,network_Q,c,local_C,network_C,untransformed_local_C,untransformed_network_C");
    for (int i = 0; i < c.q().length; i++) {
      out.println(
          String.join(
              ",",
              fmt(c.q()[i]),
              fmt(c.localQ()[i]),
              fmt(c.networkQ()[i]),
              fmt(c.c()[i]),
              fmt(c.localC()[i]),
              fmt(c.networkC()[i]),
              fmt(c.untransformedLocalC()[i]),
              fmt(c.untransformedNetworkC()[i])));
    }
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.17g", v);
  }
}
