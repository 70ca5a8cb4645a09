package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.SweepSpec;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.TrialSpec;

/** Builds the {@link TrialSpec} of one attempt of a trial from the resolved spec and its cell. */
public final class TrialSpecs {

  private TrialSpecs() {}

  /**
   * @param endpoint the ingest base URL (null: stdout only)
   * @param token the trial's bearer token
   * @param terminationLogPath where the trainer writes its final summary (null: default)
   */
  public static TrialSpec of(
      SweepSpec spec,
      TrialSpec.SweepRef sweep,
      Cell cell,
      int trialIndex,
      int attempt,
      long seed,
      String endpoint,
      String token,
      String terminationLogPath) {
    SweepSpec.MethodParams p = spec.methodParams();
    TrialSpec.MethodParams params =
        switch (cell.method()) {
          case DKS -> new TrialSpec.MethodParams(p.dks().zeta(), p.dks().localQSlope(), null, null);
          case TAT -> new TrialSpec.MethodParams(null, null, p.tat().tau(), p.tat().eta());
          case STANDARD, ORTHOGONAL -> null;
        };
    SweepSpec.Training t = spec.training();
    return new TrialSpec(
        TrialSpec.SCHEMA_VERSION,
        sweep,
        trialIndex,
        attempt,
        seed,
        new TrialSpec.ModelSpec(
            cell.architecture(),
            cell.depth(),
            cell.width(),
            cell.activation(),
            cell.method() == null ? Method.STANDARD : cell.method(),
            params,
            null,
            cell.architecture() == Architecture.RESNET_BN ? spec.architecture() : null),
        new TrialSpec.DataSpec(
            cell.dataset(),
            t.dataPath(),
            t.validationFraction(),
            t.batchSize(),
            t.pln(),
            t.trainLimit(),
            cell.dataset().startsWith("synthetic-") || t.dataUrl() == null
                ? null
                : t.dataUrl().replace("{dataset}", cell.dataset()),
            cell.dataset().startsWith("synthetic-") ? null : t.dataSha256()),
        new TrialSpec.OptimisationSpec(
            t.optimizer(),
            cell.learningRate(),
            t.schedule(),
            spec.space().epochs(),
            t.maxSteps(),
            t.weightDecay()),
        new TrialSpec.ReportingSpec(endpoint, token, t.reportEverySteps(), terminationLogPath));
  }
}
