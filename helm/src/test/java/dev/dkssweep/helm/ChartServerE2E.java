package dev.dkssweep.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's manifests against a real API server (opt-in: {@code -Pe2e}, driven by {@code
 * KUBECONFIG}): the CRD and every documented profile pass {@code kubectl apply --dry-run=server},
 * so the server's own schemas, admission and RBAC checks accept what helm would install. Not part
 * of {@code .ci/run}.
 */
class ChartServerE2E {

  static final String NS = "dks-chart-e2e";
  static final String TEAM = "dks-chart-e2e-team";
  static final String DB = "jdbc:postgresql://postgres.data:5432/dks";

  @TempDir static Path tmp;

  @BeforeAll
  static void namespace() throws Exception {
    kubectl(null, "create", "namespace", NS);
    kubectl(null, "create", "namespace", TEAM);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    kubectl(null, "delete", "namespace", NS, "--wait=false");
    kubectl(null, "delete", "namespace", TEAM, "--wait=false");
  }

  record Result(int code, String out, String err) {}

  static Result kubectl(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    p.waitFor(120, TimeUnit.SECONDS);
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  /** The profile's manifests, the `helm test` pod included (its hook annotation kept). */
  static String render(String profile, Map<String, String> values) throws IOException {
    Path chart = tmp.resolve(profile);
    ChartTest.copyChart(chart);
    // helm-java's template leaves hooks out: render the test pod as a plain manifest
    Path test = chart.resolve("templates/tests/test-api.yaml");
    Files.writeString(
        test, Files.readString(test).replace("helm.sh/hook: test", "dkssweep.dev/helm-hook: test"));
    TemplateCommand t = new Helm(chart).template().withName("sweeps").withNamespace(NS);
    values.forEach(t::set);
    return t.call();
  }

  /**
   * The manifests with the release's namespace set where a template leaves it out, as helm installs
   * them (kubectl -n would refuse the Roles of other watched namespaces).
   */
  static String inReleaseNamespace(String yaml) throws IOException {
    var mapper = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    StringBuilder out = new StringBuilder();
    try (var parser = new com.fasterxml.jackson.dataformat.yaml.YAMLFactory().createParser(yaml)) {
      for (var doc :
          mapper
              .readValues(parser, com.fasterxml.jackson.databind.node.ObjectNode.class)
              .readAll()) {
        if (doc == null || !doc.has("kind")) {
          continue;
        }
        var metadata = (com.fasterxml.jackson.databind.node.ObjectNode) doc.get("metadata");
        if (!doc.get("kind").asText().startsWith("Cluster") && !metadata.has("namespace")) {
          metadata.put("namespace", NS);
        }
        out.append(mapper.writeValueAsString(doc));
      }
    }
    return out.toString();
  }

  static void dryRun(String profile, Map<String, String> values) throws Exception {
    String yaml = inReleaseNamespace(render(profile, values));
    Result r = kubectl(yaml, "apply", "--dry-run=server", "-f", "-");
    assertThat(r.code()).as(profile + ": " + r.err()).isZero();
    System.out.println(profile + ":\n" + r.out());
    assertThat(r.out()).contains("deployment.apps/sweeps-dks-sweep created (server dry run)");
  }

  @Test
  void theCrdIsAcceptedByTheServer() throws Exception {
    Result r =
        kubectl(
            null,
            "apply",
            "--server-side",
            "--force-conflicts", // the upgrade command docs/install.md gives
            "--dry-run=server",
            "-f",
            ChartTest.CHART.resolve("crds").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("sweeps.dkssweep.dev");
  }

  static final Map<String, String> EXTERNAL =
      Map.of(
          "postgresql.enabled", "false",
          "database.url", DB,
          "database.existingSecret", "dks-db");

  static Map<String, String> external(Map<String, String> more) {
    Map<String, String> v = new java.util.HashMap<>(EXTERNAL);
    v.putAll(more);
    return v;
  }

  @Test
  void everyProfileIsAcceptedByTheServer() throws Exception {
    dryRun("default", Map.of());
    dryRun(
        "replicated",
        Map.of(
            "replicas", "3",
            "priorityClassName", "system-cluster-critical",
            "topologySpreadConstraints[0].maxSkew", "1",
            "topologySpreadConstraints[0].topologyKey", "kubernetes.io/hostname",
            "topologySpreadConstraints[0].whenUnsatisfiable", "ScheduleAnyway"));
    dryRun(
        "external-gpu-kueue-token",
        external(
            Map.of(
                "trainer.queueName", "team-gpus",
                "trainer.gpuResource", "nvidia.com/gpu",
                "trainer.runtimeClassName", "nvidia",
                "dashboard.auth", "token",
                "dashboard.token.existingSecret", "dks-dashboard-token",
                "dashboard.reader.enabled", "true",
                "dashboard.reader.existingSecret", "dks-reader")));
    dryRun(
        "oidc",
        Map.of(
            "dashboard.auth", "oidc",
            "dashboard.oidc.authServerUrl", "https://keycloak.example.org/realms/research",
            "dashboard.oidc.clientId", "dks-sweep",
            "dashboard.oidc.existingSecret", "dks-oidc"));
    dryRun("namespaces", Map.of("watch.namespaces[0]", TEAM, "watch.namespaces[1]", NS));
    dryRun(
        "gpu-trainers-ingress",
        Map.of(
            "trainer.image", "ghcr.io/dks-sweep/trainer:0.1.0-cuda",
            "trainer.resources.gpus", "1",
            "trainer.tolerations[0].key", "nvidia.com/gpu",
            "trainer.tolerations[0].operator", "Exists",
            "trainer.tolerations[0].effect", "NoSchedule",
            "ingress.enabled", "true",
            "ingress.className", "nginx",
            "ingress.tls[0].secretName", "dks-tls",
            "ingress.tls[0].hosts[0]", "dks-sweep.example.org"));
    dryRun("cluster-wide", Map.of("watch.allNamespaces", "true"));
  }

  /**
   * The ServiceMonitor profile needs the Prometheus Operator's CRD on the server (the chart does
   * not bundle it): one already installed, or the file {@code SERVICEMONITOR_CRD} names ({@code
   * monitoring.coreos.com_servicemonitors.yaml} of a prometheus-operator release), which is then
   * applied.
   */
  @Test
  void theServiceMonitorProfileIsAcceptedByAServerWithThePrometheusOperatorsCrd() throws Exception {
    String crd = System.getenv("SERVICEMONITOR_CRD");
    if (crd != null && !crd.isBlank()) {
      Result applied = kubectl(null, "apply", "--server-side", "-f", crd);
      assertThat(applied.code()).as(applied.err()).isZero();
      kubectl(
          null,
          "wait",
          "--for=condition=Established",
          "crd/servicemonitors.monitoring.coreos.com",
          "--timeout=60s");
    }
    Result installed = kubectl(null, "get", "crd", "servicemonitors.monitoring.coreos.com");
    assertThat(installed.code())
        .as(
            "the server has no ServiceMonitor CRD: install the Prometheus Operator's CRDs, or set"
                + " SERVICEMONITOR_CRD to monitoring.coreos.com_servicemonitors.yaml of a"
                + " prometheus-operator release")
        .isZero();
    dryRun(
        "ingress-servicemonitor",
        Map.of(
            "ingress.enabled", "true",
            "ingress.className", "nginx",
            "ingress.hosts[0].host", "dks-sweep.example.org",
            "serviceMonitor.enabled", "true",
            "serviceMonitor.labels.release", "prometheus"));
    String yaml =
        inReleaseNamespace(
            render("ingress-servicemonitor-only", Map.of("serviceMonitor.enabled", "true")));
    Result r = kubectl(yaml, "apply", "--dry-run=server", "-f", "-");
    assertThat(r.out()).contains("servicemonitor.monitoring.coreos.com/sweeps-dks-sweep created");
  }

  static String secret(String name, String key) throws Exception {
    Result r = kubectl(null, "get", "secret", "-n", NS, name, "-o", "jsonpath={.data." + key + "}");
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  static void install(String release, Path kubeconfig) {
    new Helm(ChartTest.CHART)
        .install()
        .withName(release)
        .withNamespace(NS)
        .withKubeConfig(kubeconfig)
        .call();
  }

  @Test
  void anInstallKeepsItsGeneratedPasswordsThroughUpgradesAndUninstall() throws Exception {
    Path kubeconfig = Path.of(System.getenv("KUBECONFIG"));
    install("kept", kubeconfig);
    // the CRD upgrade docs/install.md gives, on a CRD helm installed (and so manages)
    Result crd =
        kubectl(
            null,
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            ChartTest.CHART.resolve("crds").toString());
    assertThat(crd.code()).as(crd.err()).isZero();
    String password = secret("kept-dks-sweep-postgresql", "password");
    String key = secret("kept-dks-sweep-ingest", "token-secret");
    assertThat(password).isNotBlank();
    new Helm(ChartTest.CHART)
        .upgrade()
        .withName("kept")
        .withNamespace(NS)
        .withKubeConfig(kubeconfig)
        .set("replicas", "2")
        .call();
    assertThat(secret("kept-dks-sweep-postgresql", "password")).isEqualTo(password);
    assertThat(secret("kept-dks-sweep-ingest", "token-secret")).isEqualTo(key);
    Helm.uninstall("kept").withNamespace(NS).withKubeConfig(kubeconfig).call();
    assertThat(secret("kept-dks-sweep-postgresql", "password"))
        .as("the database's passwords outlive the release, as its volume does")
        .isEqualTo(password);
    install("kept", kubeconfig);
    assertThat(secret("kept-dks-sweep-postgresql", "password"))
        .as("a reinstall opens the kept data with the kept password")
        .isEqualTo(password);
    Helm.uninstall("kept").withNamespace(NS).withKubeConfig(kubeconfig).call();
  }
}
