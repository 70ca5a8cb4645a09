package dev.dkssweep.trainer;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.activation.Activations;
import dev.dkssweep.dks.activation.TransformedActivation;
import dev.dkssweep.dks.network.Architectures;
import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import dev.dkssweep.dks.shaping.Shaper;
import dev.dkssweep.dks.shaping.ShapingMethod;
import dev.dkssweep.dks.shaping.ShapingRequest;
import dev.dkssweep.sweep.protocol.TrialSpec;

/** The activation transform of a trial's method, solved by dks-core (identity for baselines). */
final class Transforms {

  private Transforms() {}

  /**
   * @throws dev.dkssweep.dks.exception.ShapingException when the method cannot shape this cell
   */
  static TransformedActivation resolve(TrialSpec.ModelSpec model) {
    Activation phi = Activations.byName(model.activation());
    TrialSpec.MethodParams p =
        model.methodParams() == null ? TrialSpec.MethodParams.DEFAULTS : model.methodParams();
    ShapingMethod method =
        switch (model.method()) {
          case DKS ->
              new ShapingMethod.Dks(
                  p.zeta() == null ? ShapingMethod.Dks.DEFAULT_ZETA : p.zeta(),
                  p.localQSlope() == null
                      ? ShapingMethod.Dks.DEFAULT_LOCAL_Q_SLOPE
                      : p.localQSlope());
          case TAT ->
              new ShapingMethod.Tat(
                  p.tau() == null ? ShapingMethod.Tat.DEFAULT_TAU : p.tau(),
                  p.eta() == null ? ShapingMethod.Tat.DEFAULT_ETA : p.eta(),
                  false);
          case STANDARD, ORTHOGONAL -> new ShapingMethod.Untransformed();
        };
    if (method instanceof ShapingMethod.Untransformed) {
      return TransformedActivation.identity(phi);
    }
    return new Shaper(GaussianQuadrature.accurate())
        .shape(ShapingRequest.of(phi, method, Architectures.plain(model.depth())))
        .single()
        .transform();
  }
}
