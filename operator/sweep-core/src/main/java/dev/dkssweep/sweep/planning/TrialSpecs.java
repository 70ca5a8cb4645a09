package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.TrialSpec;

/**
 * Builds the {@link TrialSpec} of one attempt of a trial from the sweep's definition and its cell.
 */
public final class TrialSpecs {

  private TrialSpecs() {}

  /**
   * @param endpoint the ingest base URL (null: stdout only)
   * @param token the trial's bearer token
   * @param terminationLogPath where the trainer writes its final summary (null: default)
   */
  public static TrialSpec of(
      SweepDefinition spec,
      TrialSpec.SweepRef sweep,
      Cell cell,
      int trialIndex,
      int attempt,
      long seed,
      String endpoint,
      String token,
      String terminationLogPath) {
    SweepDefinition.MethodParams p = spec.methodParams();
    TrialSpec.MethodParams params =
        switch (cell.method()) {
          case DKS -> new TrialSpec.MethodParams(p.zeta(), p.localQSlope(), null, null);
          case TAT -> new TrialSpec.MethodParams(null, null, p.tau(), p.eta());
          case STANDARD, ORTHOGONAL -> null;
        };
    SweepDefinition.Training t = spec.training();
    boolean synthetic = cell.dataset().startsWith("synthetic-");
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
            t.dataPath().orElse(null),
            t.validationFraction(),
            t.batchSize(),
            t.pln(),
            t.trainLimit().isPresent() ? t.trainLimit().getAsInt() : null,
            synthetic
                ? null
                : t.dataUrl().map(u -> u.replace("{dataset}", cell.dataset())).orElse(null),
            synthetic || t.dataSha256().isEmpty() ? null : t.dataSha256()),
        new TrialSpec.OptimisationSpec(
            t.optimizer(),
            cell.learningRate(),
            t.schedule(),
            spec.space().epochs(),
            t.maxSteps().isPresent() ? t.maxSteps().getAsLong() : null,
            t.weightDecay()),
        new TrialSpec.ReportingSpec(endpoint, token, t.reportEverySteps(), terminationLogPath));
  }
}
