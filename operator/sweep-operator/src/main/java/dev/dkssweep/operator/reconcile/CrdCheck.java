package dev.dkssweep.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dkssweep.operator.api.v1alpha1.SweepSpec;
import dev.dkssweep.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.logging.Logger;

/**
 * Says at startup, loudly, when the installed Sweep CRD is missing or older than this operator
 * (Helm installs {@code crds/} once and never upgrades them): an older schema makes the API server
 * drop the newer fields from every Sweep. Reading the CRD takes {@code get} on that one
 * CustomResourceDefinition (the chart's ClusterRole); without it the check says so and the operator
 * runs on.
 */
@ApplicationScoped
public class CrdCheck {

  private static final Logger LOG = Logger.getLogger(CrdCheck.class.getName());
  static final String CRD = "sweeps.dkssweep.dev";
  static final String APPLY =
      "kubectl apply --server-side --force-conflicts -f helm/dks-sweep/crds/";

  private final KubernetesClient client;
  private final OperatorConfig config;

  public CrdCheck(KubernetesClient client, OperatorConfig config) {
    this.client = client;
    this.config = config;
  }

  void check(@Observes StartupEvent e) {
    if (!config.operator().enabled()) {
      return;
    }
    CustomResourceDefinition crd;
    try {
      crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
    } catch (KubernetesClientException x) {
      LOG.info(
          x.getCode() == HttpURLConnection.HTTP_FORBIDDEN
              ? "cannot read the CRD " + CRD + " to check it is current (no get on it)"
              : "could not read the CRD " + CRD + ": " + x.getMessage());
      return;
    }
    if (crd == null) {
      LOG.severe("the CRD " + CRD + " is not installed; no Sweep can be created: " + APPLY);
      return;
    }
    CustomResourceDefinitionVersion version =
        crd.getSpec().getVersions().stream()
            .filter(v -> "v1alpha1".equals(v.getName()))
            .findFirst()
            .orElse(null);
    if (version == null || version.getSchema() == null) {
      LOG.severe("the installed CRD " + CRD + " has no v1alpha1 schema; " + APPLY);
      return;
    }
    JsonNode schema =
        new ObjectMapper()
            .valueToTree(version.getSchema().getOpenAPIV3Schema())
            .path("properties")
            .path("spec");
    List<String> missing = CrdFreshness.missing(SweepSpec.class, "spec", schema);
    if (!missing.isEmpty()) {
      LOG.severe(
          "the installed CRD "
              + CRD
              + " is older than this operator: it lacks "
              + String.join(", ", missing)
              + " (the API server drops these fields from every Sweep); upgrade it: "
              + APPLY);
    }
  }
}
