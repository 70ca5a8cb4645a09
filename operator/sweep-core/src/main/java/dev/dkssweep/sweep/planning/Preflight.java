package dev.dkssweep.sweep.planning;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.exception.ShapingException;
import dev.dkssweep.dks.kernel.LocalDerivatives;
import dev.dkssweep.dks.kernel.MapCurves;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.shaping.ActivationShape;
import dev.dkssweep.dks.shaping.KernelDiagnostics;
import dev.dkssweep.dks.shaping.ParameterCache;
import dev.dkssweep.dks.shaping.Shaper;
import dev.dkssweep.dks.shaping.ShapingMethod;
import dev.dkssweep.dks.shaping.ShapingRequest;
import dev.dkssweep.dks.shaping.SolverSettings;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel preflight (docs/design.md, "The kernel preflight is ours"): before any trial runs,
 * dks-core shapes every distinct (method, activation, depth) once; each cell gets the transform,
 * its kernel diagnostics and map curves, or is infeasible with the solver's reason. The resnet-bn
 * baseline has no kernel prediction (batch norm is not in the theory) and is always feasible.
 */
public final class Preflight {

  /** Samples per map curve stored for the dashboard's kernel view. */
  public static final int CURVE_POINTS = 21;

  private final Shaper shaper;

  public Preflight() {
    this.shaper =
        new Shaper(GaussianQuadrature.accurate(), SolverSettings.DEFAULTS, new ParameterCache());
  }

  /** The transform of a cell's activation (alpha, beta, gamma, delta; slope for leaky_relu). */
  public record Transform(double alpha, double beta, double gamma, double delta, Double slope) {
    static Transform of(TransformedActivation t) {
      double slope = t.negativeSlope();
      return new Transform(
          t.alpha(), t.beta(), t.gamma(), t.delta(), Double.isNaN(slope) ? null : slope);
    }
  }

  /**
   * Local and network kernel quantities at q = 1 and the map curves (docs/maths.md 9 and 12).
   * Network values are maxima over the subnetworks.
   */
  public record Diagnostics(
      double localQAt1,
      double localQSlopeAt1,
      double localCAt0,
      double localCSlopeAt1,
      double localCCurvAt1,
      double networkCSlopeAt1,
      double networkCCurvAt1,
      double networkCAt0,
      MapCurves curves) {

    /**
     * How degenerate the network's C map is (0 = the identity, larger = less trainable): log of the
     * network C'(1) plus -log(1 - C(0)); the order {@code predicted-trainability} sorts by.
     */
    public double degeneracy() {
      double slope = Double.isFinite(networkCSlopeAt1) ? Math.max(1, networkCSlopeAt1) : 1e300;
      double c0 = Double.isFinite(networkCAt0) ? Math.min(networkCAt0, 1 - 1e-300) : 1;
      return Math.log(slope) - Math.log(1 - Math.max(0, c0) + 1e-300);
    }
  }

  /**
   * A cell's preflight result.
   *
   * @param reason why the cell cannot run (null when feasible)
   * @param transform null for resnet-bn and infeasible cells
   * @param diagnostics null for resnet-bn and infeasible cells
   */
  public record CellResult(
      int cellIndex,
      boolean feasible,
      String reason,
      Transform transform,
      Diagnostics diagnostics) {}

  /**
   * What a shaping depends on: the dks-core method with its targets (standard and orthogonal
   * initialisation share the untransformed one), the activation and the depth.
   */
  private record Key(ShapingMethod method, String activation, int depth) {}

  /** A shaping's outcome; {@code reason} (infeasible only) without the sweep method's name. */
  private record Shaped(String reason, Transform transform, Diagnostics diagnostics) {}

  /**
   * Runs the preflight of a sweep's cells; each distinct shaping is solved once, the distinct ones
   * in parallel (the common fork-join pool: a 10,000-cell sweep has a thousand, each tens of
   * milliseconds, almost all of it the network Q-map curves).
   */
  public List<CellResult> run(SweepDefinition spec, List<Cell> cells) {
    Map<Key, Shaped> solved = new ConcurrentHashMap<>();
    cells.stream()
        .filter(c -> c.architecture() != Architecture.RESNET_BN)
        .map(c -> key(spec, c))
        .distinct()
        .toList()
        .parallelStream()
        .forEach(k -> solved.put(k, shape(k)));
    List<CellResult> results = new ArrayList<>(cells.size());
    for (Cell cell : cells) {
      if (cell.architecture() == Architecture.RESNET_BN) {
        results.add(new CellResult(cell.index(), true, null, null, null));
        continue;
      }
      Shaped r = solved.get(key(spec, cell));
      results.add(
          new CellResult(
              cell.index(),
              r.reason() == null,
              r.reason() == null ? null : cell.method().code() + ": " + r.reason(),
              r.transform(),
              r.diagnostics()));
    }
    return results;
  }

  private static Key key(SweepDefinition spec, Cell cell) {
    return new Key(method(spec, cell.method()), cell.activation(), cell.depth());
  }

  private Shaped shape(Key key) {
    try {
      Activation phi = Activations.byName(key.activation());
      dev.dkssweep.dks.network.Architecture net = Architectures.plain(key.depth());
      ActivationShape shape = shaper.shape(ShapingRequest.of(phi, key.method(), net)).single();
      KernelDiagnostics d = shape.diagnostics();
      LocalDerivatives l = d.local();
      MapCurves m = MapCurves.of(shape.transform(), net, shaper.quadrature(), CURVE_POINTS);
      return new Shaped(
          null,
          Transform.of(shape.transform()),
          new Diagnostics(
              l.qAt1(),
              l.qSlopeAt1(),
              l.cAt0(),
              l.cSlopeAt1(),
              l.curvatureInfinite() ? Double.POSITIVE_INFINITY : l.cCurvAt1(),
              d.networkCSlopeAt1(),
              // a jump of phi' makes every composition's C''(1) infinite too (docs/maths.md 5.6)
              l.curvatureInfinite() ? Double.POSITIVE_INFINITY : d.networkCCurvAt1(),
              d.networkCAt0(),
              m));
    } catch (ShapingException e) {
      return new Shaped(e.getMessage(), null, null);
    }
  }

  /** The dks-core method of a sweep's method, with the sweep's parameters. */
  public static ShapingMethod method(SweepDefinition spec, Method method) {
    SweepDefinition.MethodParams p = spec.methodParams();
    return switch (method) {
      case DKS -> new ShapingMethod.Dks(p.zeta(), p.localQSlope());
      case TAT -> new ShapingMethod.Tat(p.tau(), p.eta(), false);
      case STANDARD, ORTHOGONAL -> new ShapingMethod.Untransformed();
    };
  }
}
