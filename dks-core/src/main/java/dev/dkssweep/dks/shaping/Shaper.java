package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.LeakyRelu;
import dev.dkssweep.dks.activation.StandardActivation;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.exception.ShapingException;
import dev.dkssweep.dks.exception.UnsupportedCombinationException;
import dev.dkssweep.dks.kernel.LeakyReluCMap;
import dev.dkssweep.dks.kernel.LocalDerivatives;
import dev.dkssweep.dks.kernel.LocalMaps;
import dev.dkssweep.dks.kernel.NetworkMaps;
import dev.dkssweep.dks.network.Architecture;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one entry point of dks-core: activations + method + architecture -> transforms and kernel
 * diagnostics (docs/maths.md section 9).
 *
 * <pre>{@code
 * Shaper shaper = new Shaper(GaussianQuadrature.accurate());
 * ActivationShape tanh = shaper.shape(ShapingRequest.of(
 *     Activations.byName("tanh"), ShapingMethod.Dks.defaults(), Architectures.plain(50))).single();
 * }</pre>
 *
 * <p>Immutable and thread-safe apart from the optional {@link ParameterCache}, which is itself
 * thread-safe.
 */
public final class Shaper {

  private final GaussianQuadrature quadrature;
  private final SolverSettings settings;
  private final ParameterCache cache;

  public Shaper(GaussianQuadrature quadrature) {
    this(quadrature, SolverSettings.DEFAULTS, null);
  }

  /**
   * @param cache shared across calls, or null for none
   */
  public Shaper(GaussianQuadrature quadrature, SolverSettings settings, ParameterCache cache) {
    this.quadrature = Objects.requireNonNull(quadrature, "quadrature");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cache = cache;
  }

  public GaussianQuadrature quadrature() {
    return quadrature;
  }

  /**
   * @throws ShapingException of the kind that says what went wrong
   */
  public ShapingResult shape(ShapingRequest request) {
    validateCombination(request);
    LocalTarget target = localTarget(request);
    List<ActivationShape> shapes = new ArrayList<>();
    for (Activation phi : request.activations()) {
      ParameterCache.Key key =
          new ParameterCache.Key(
              phi.id(), request.method(), request.architecture().key(), quadrature.id());
      ActivationShape shape =
          cache == null
              ? shapeOne(phi, request, target)
              : cache.computeIfAbsent(key, k -> shapeOne(phi, request, target));
      shapes.add(shape);
    }
    return new ShapingResult(request, target, shapes);
  }

  private static void validateCombination(ShapingRequest request) {
    if (!(request.method() instanceof ShapingMethod.Tat tat)) {
      return;
    }
    List<Activation> activations = request.activations();
    boolean anyLeaky = activations.stream().anyMatch(a -> a instanceof LeakyRelu);
    for (Activation a : activations) {
      if (a == StandardActivation.RELU) {
        throw new UnsupportedCombinationException(
            "TAT does not support relu (C''(1) is infinite and there is no free parameter);"
                + " use leaky_relu (TReLU) with TAT, or relu with DKS");
      }
      if (anyLeaky && activations.size() > 1) {
        throw new UnsupportedCombinationException(
            "TAT with leaky_relu (TReLU) must be the only activation of the network; got "
                + activations.stream().map(Activation::id).toList());
      }
      if (!(a instanceof LeakyRelu) && a.firstDerivativeJumps() && !tat.allowJumpingDerivative()) {
        throw new UnsupportedCombinationException(
            "TAT needs C''(1), which is infinite for "
                + a.id()
                + " because its first derivative jumps; use DKS, a smooth activation, or allow it"
                + " explicitly (reproduces the reference, which ignores the Dirac mass)");
      }
    }
  }

  private LocalTarget localTarget(ShapingRequest request) {
    Architecture m = request.architecture();
    if (request.method() instanceof ShapingMethod.Dks dks) {
      return LocalTargets.dksSlope(m, dks.zeta(), settings.bisection());
    }
    if (request.method() instanceof ShapingMethod.Tat tat) {
      return request.activations().get(0) instanceof LeakyRelu
          ? LocalTargets.treluSlope(m, tat.eta(), settings.bisection())
          : LocalTargets.tatCurvature(m, tat.tau(), settings.bisection());
    }
    return LocalTarget.NONE;
  }

  private ActivationShape shapeOne(Activation phi, ShapingRequest request, LocalTarget target) {
    TransformSolver solver = new TransformSolver(quadrature, settings);
    TransformSolver.Solved solved;
    if (request.method() instanceof ShapingMethod.Dks dks) {
      solved = solveDks(solver, phi, dks, target.value());
    } else if (request.method() instanceof ShapingMethod.Tat) {
      solved = phi instanceof LeakyRelu ? trelu(target.value()) : solveTat(solver, phi, target);
    } else {
      solved =
          new TransformSolver.Solved(
              TransformedActivation.identity(phi),
              SolveReport.closedForm(0, List.of("untransformed")));
    }
    return new ActivationShape(
        solved.transform(), diagnostics(solved.transform(), request), solved.report());
  }

  private TransformSolver.Solved solveDks(
      TransformSolver solver, Activation phi, ShapingMethod.Dks dks, double psi) {
    if (phi == StandardActivation.RELU) {
      return solver.dksRelu(psi);
    }
    if (phi instanceof LeakyRelu) {
      if (dks.localQSlope() == 1) {
        TransformSolver.Solved closed = leakyReluClosedForm(solver, psi);
        if (closed != null) {
          return closed;
        }
      }
      return solver.dksLeakyRelu(dks.localQSlope(), psi);
    }
    return solver.dksSmooth(phi, dks.localQSlope(), psi);
  }

  /**
   * DKS Leaky ReLU at beta = 0 (docs/maths.md 4.3): k = pi (1 - 1/psi), a = (1 - sqrt(1 - (1 -
   * k)^2)) / (1 - k), written as (1 - k) / (1 + sqrt(1 - (1 - k)^2)) to avoid cancellation. At beta
   * = 0, Q'(1) = Q(1) = 1 by homogeneity, so only C'(1) = psi is left. The result is verified by
   * quadrature; null if psi is out of the closed form's range or the check fails.
   */
  private TransformSolver.Solved leakyReluClosedForm(TransformSolver solver, double psi) {
    double t = 1 - Math.PI * (1 - 1 / psi);
    if (!(Math.abs(t) <= 1)) {
      return null;
    }
    double a = t / (1 + Math.sqrt((1 - t) * (1 + t)));
    TransformedActivation transform = solver.dksTransform(new LeakyRelu(a), 1, 0);
    LocalDerivatives d = new LocalMaps(transform, quadrature).derivatives();
    double residual =
        Math.max(
            Math.max(Math.abs(d.qSlopeAt1() - 1), Math.abs(d.cSlopeAt1() - psi)),
            Math.max(Math.abs(d.qAt1() - 1), Math.abs(d.cAt0())));
    if (!(residual < settings.residualTolerance())) {
      return null;
    }
    List<String> notes = new ArrayList<>();
    notes.add("closed form of docs/maths.md 4.3 (beta = 0), verified by quadrature");
    if (a < 0) {
      notes.add("negative slope below zero: the transformed activation is not monotonic");
    }
    return new TransformSolver.Solved(transform, SolveReport.closedForm(residual, notes));
  }

  private static TransformSolver.Solved solveTat(
      TransformSolver solver, Activation phi, LocalTarget target) {
    TransformSolver.Solved solved = solver.tatSmooth(phi, target.value());
    if (phi.firstDerivativeJumps()) {
      List<String> notes = new ArrayList<>(solved.report().notes());
      notes.add(
          "ill-posed: phi' of "
              + phi.id()
              + " jumps, so the true C''(1) is infinite; the Dirac mass is ignored as in the"
              + " reference");
      SolveReport r = solved.report();
      solved =
          new TransformSolver.Solved(
              solved.transform(),
              new SolveReport(
                  r.startIndex(), r.startsTried(), r.evaluations(), r.residualMax(), notes));
    }
    return solved;
  }

  /** TReLU (4.5): gamma * LReLU_a with gamma = sqrt(2 / (1 + a^2)). */
  private static TransformSolver.Solved trelu(double a) {
    TransformedActivation t =
        new TransformedActivation(new LeakyRelu(a), 1, 0, LeakyReluCMap.gamma(a), 0);
    return new TransformSolver.Solved(
        t, SolveReport.closedForm(0, List.of("TReLU: closed-form C map (docs/maths.md 4.1)")));
  }

  private KernelDiagnostics diagnostics(TransformedActivation t, ShapingRequest request) {
    LocalMaps local = new LocalMaps(t, quadrature);
    NetworkMaps network = new NetworkMaps(request.architecture(), local);
    double networkC0 =
        t.base() instanceof LeakyRelu l && t.beta() == 0 && t.delta() == 0
            ? request.architecture().apply(0, c -> LeakyReluCMap.c(l.negativeSlope(), c))
            : network.cAt0();
    return new KernelDiagnostics(
        local.derivatives(), network.cSlopeAt1(), network.cCurvAt1(), networkC0);
  }
}
