package dev.dkssweep.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A hyperparameter sweep of DKS/TAT-shaped networks: the {@code Sweep} custom resource. Its spec is
 * the same document {@code ./dks-sweep run} reads (docs/sweep-spec.md); {@link SweepMapper} turns
 * it into the sweep core's document. The CRD is generated from these classes at build time.
 */
@Group(Sweep.GROUP)
@Version(Sweep.VERSION)
@ShortNames("sws")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress")
@AdditionalPrinterColumn(
    name = "Running",
    jsonPath = ".status.counts.running",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Failed",
    jsonPath = ".status.counts.failed",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Best", jsonPath = ".status.best.objective")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Best-Cell", jsonPath = ".status.best.cell", priority = 1)
public class Sweep extends CustomResource<SweepSpec, SweepStatus> implements Namespaced {

  public static final String GROUP = "dkssweep.dev";
  public static final String VERSION = "v1alpha1";
}
