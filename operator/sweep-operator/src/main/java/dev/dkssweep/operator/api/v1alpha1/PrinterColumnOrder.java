package dev.dkssweep.operator.api.v1alpha1;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the CRD's printer columns in the order {@code kubectl get sws} shows them (the generator
 * sorts them by JSON path): what the sweep is doing first, its age, then the wide columns. Runs at
 * build time, on the generated CRD ({@code quarkus.operator-sdk.crd.post-processor}).
 */
public class PrinterColumnOrder implements CRDPostProcessor {

  static final List<String> ORDER =
      List.of("Phase", "Progress", "Running", "Failed", "Best", "Age", "Best-Cell");

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (crd instanceof CustomResourceDefinition d) {
      d.getSpec()
          .getVersions()
          .forEach(
              v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                  v.getAdditionalPrinterColumns()
                      .sort(Comparator.comparingInt(PrinterColumnOrder::rank));
                }
              });
    }
    return crd;
  }

  private static int rank(CustomResourceColumnDefinition c) {
    int i = ORDER.indexOf(c.getName());
    return i < 0 ? ORDER.size() : i;
  }
}
