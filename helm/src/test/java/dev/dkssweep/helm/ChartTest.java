package dev.dkssweep.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart, rendered by helm itself (helm-java): lint, manifests, wiring, value checks. */
class ChartTest {

  static final Path CHART = Path.of("dks-sweep");
  static final String DB = "jdbc:postgresql://postgres.data:5432/dks";

  @TempDir Path tmp;

  private static TemplateCommand template() {
    return new Helm(CHART)
        .template()
        .withName("sweeps")
        .withNamespace("research")
        .set("database.url", DB)
        .set("database.existingSecret", "dks-db");
  }

  /** The rendered manifests by kind. */
  private static Map<String, JsonNode> render(TemplateCommand command) throws IOException {
    String yaml = command.call();
    Map<String, JsonNode> byKind = new HashMap<>();
    ObjectMapper mapper = new YAMLMapper();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      for (JsonNode doc : mapper.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && doc.has("kind")) {
          byKind.put(doc.get("kind").asText(), doc);
        }
      }
    }
    return byKind;
  }

  private static Map<String, JsonNode> env(Map<String, JsonNode> manifests) {
    Map<String, JsonNode> env = new HashMap<>();
    for (JsonNode e : manifests.get("Deployment").at("/spec/template/spec/containers/0/env")) {
      env.put(e.get("name").asText(), e);
    }
    return env;
  }

  @Test
  void lintsCleanWithTheValuesAUserMustGive() throws IOException {
    Path chart = tmp.resolve("dks-sweep");
    copyChart(chart);
    ObjectMapper yaml = new YAMLMapper();
    ObjectNode values = (ObjectNode) yaml.readTree(chart.resolve("values.yaml").toFile());
    ((ObjectNode) values.get("database")).put("url", DB).put("existingSecret", "dks-db");
    yaml.writeValue(chart.resolve("values.yaml").toFile(), values);
    LintResult lint = new Helm(chart).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void rendersTheApplicationItsServiceAndTheRightsToReadTrainerPods() throws IOException {
    Map<String, JsonNode> m = render(template());
    assertThat(m).containsKeys("Deployment", "Service", "ServiceAccount", "Role", "RoleBinding");
    Map<String, JsonNode> env = env(m);
    assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL").get("value").asText()).isEqualTo(DB);
    assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("dks-db");
    assertThat(env).doesNotContainKeys("DKS_DASHBOARD_TOKEN", "DKS_DASHBOARD_OIDC_ENABLED");
    assertThat(m.get("Service").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
    List<String> rules = new ArrayList<>();
    m.get("Role").get("rules").forEach(r -> rules.add(r.get("resources").get(0).asText()));
    assertThat(rules).contains("pods", "pods/log");
    assertThat(m.get("RoleBinding").at("/subjects/0/namespace").asText()).isEqualTo("research");
    assertThat(
            m.get("Deployment").at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean())
        .isTrue();
  }

  @Test
  void theOperatorHasExactlyTheRightsItUsesInItsNamespace() throws IOException {
    Map<String, JsonNode> m = render(template());
    Map<String, List<String>> verbs = new HashMap<>();
    m.get("Role")
        .get("rules")
        .forEach(
            r -> {
              List<String> v = new ArrayList<>();
              r.get("verbs").forEach(x -> v.add(x.asText()));
              r.get("resources").forEach(x -> verbs.put(x.asText(), v));
            });
    assertThat(verbs)
        .containsOnlyKeys(
            "sweeps",
            "sweeps/status",
            "sweeps/finalizers",
            "jobs",
            "secrets",
            "events",
            "leases",
            "pods",
            "pods/log");
    assertThat(verbs.get("sweeps")).containsExactly("get", "list", "watch", "patch", "update");
    assertThat(verbs.get("sweeps/status")).containsExactly("get", "patch", "update");
    assertThat(verbs.get("sweeps/finalizers")).containsExactly("update");
    assertThat(verbs.get("jobs"))
        .containsExactly("get", "list", "watch", "create", "patch", "delete");
    assertThat(verbs.get("secrets"))
        .as("it never reads a Secret back")
        .containsExactly("create", "delete");
    assertThat(verbs.get("events")).containsExactly("create", "patch");
    assertThat(verbs.get("pods")).containsExactly("get", "list", "watch");
    assertThat(verbs.get("leases")).containsExactly("get", "create", "update");
    JsonNode crdReader = m.get("ClusterRole").at("/rules/0");
    assertThat(crdReader.at("/resources/0").asText()).isEqualTo("customresourcedefinitions");
    assertThat(crdReader.at("/resourceNames").toString())
        .as("only its own CRD, only to read it")
        .isEqualTo("[\"sweeps.dkssweep.dev\"]");
    assertThat(crdReader.at("/verbs").toString()).isEqualTo("[\"get\"]");
    assertThat(m.get("ClusterRoleBinding").at("/subjects/0/namespace").asText())
        .isEqualTo("research");
    assertThat(
            m.get("Deployment")
                .at("/spec/template/spec/containers/0/livenessProbe/httpGet/path")
                .asText())
        .isEqualTo("/q/health/live");
    assertThat(
            m.get("Deployment")
                .at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                .asText())
        .isEqualTo("/q/health/ready");
    Map<String, JsonNode> env = env(m);
    assertThat(env.get("QUARKUS_OPERATOR_SDK_CONTROLLERS_SWEEP_NAMESPACES").get("value").asText())
        .isEqualTo("research");
    assertThat(env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED").get("value").asText())
        .as("JSON logs in a cluster")
        .isEqualTo("true");
    assertThat(env.get("DKS_INGEST_URL").get("value").asText())
        .isEqualTo("http://sweeps-dks-sweep.research.svc:8080/api/ingest");
    assertThat(env.get("DKS_TRAINER_GPU_RESOURCE").get("value").asText())
        .isEqualTo("nvidia.com/gpu");
    assertThat(env.get("DKS_TRAINER_ALLOWED_IMAGES").get("value").asText())
        .isEqualTo("ghcr.io/dks-sweep/");
    assertThat(env).doesNotContainKeys("DKS_TRAINER_QUEUE_NAME", "DKS_TRAINER_NODE_SELECTOR");
  }

  @Test
  void oneReplicaHasNoDisruptionBudgetAndSeveralKeepOneThroughDrains() throws IOException {
    assertThat(render(template())).doesNotContainKey("PodDisruptionBudget");
    Map<String, JsonNode> m =
        render(
            template()
                .set("replicas", "3")
                .set("priorityClassName", "platform-critical")
                .set("topologySpreadConstraints[0].maxSkew", "1")
                .set("topologySpreadConstraints[0].topologyKey", "kubernetes.io/hostname")
                .set("topologySpreadConstraints[0].whenUnsatisfiable", "ScheduleAnyway"));
    JsonNode pdb = m.get("PodDisruptionBudget");
    assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
    JsonNode pod = m.get("Deployment").at("/spec/template");
    assertThat(pdb.at("/spec/selector/matchLabels"))
        .isEqualTo(m.get("Deployment").at("/spec/selector/matchLabels"));
    assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("platform-critical");
    JsonNode spread = pod.at("/spec/topologySpreadConstraints/0");
    assertThat(spread.get("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
    assertThat(spread.at("/labelSelector/matchLabels"))
        .as("the chart fills in its pods' labels")
        .isEqualTo(m.get("Deployment").at("/spec/selector/matchLabels"));
  }

  /** The chart copied to {@code to}. */
  static void copyChart(Path to) throws IOException {
    try (Stream<Path> files = Files.walk(CHART)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /**
   * The `helm test` pod as rendered: helm-java's template leaves hooks out, so a copy of the chart
   * renders the test template without its hook annotations (the original's are checked as text).
   */
  private Map<String, JsonNode> renderTestPod(Map<String, String> values) throws IOException {
    Path chart = tmp.resolve("dks-sweep-test-" + values.size());
    copyChart(chart);
    Path test = chart.resolve("templates/tests/test-api.yaml");
    Files.writeString(test, Files.readString(test).replaceAll("(?m)^\\s+helm\\.sh/hook.*\\n", ""));
    TemplateCommand t =
        new Helm(chart)
            .template()
            .withName("sweeps")
            .withNamespace("research")
            .set("database.url", DB)
            .set("database.existingSecret", "dks-db");
    values.forEach(t::set);
    return render(t);
  }

  @Test
  void helmTestChecksReadinessIngestAndTheOpenReadApiAsANonRootPod() throws IOException {
    String source = Files.readString(CHART.resolve("templates/tests/test-api.yaml"));
    assertThat(source).contains("helm.sh/hook: test");
    JsonNode test = renderTestPod(Map.of()).get("Pod");
    assertThat(test.at("/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(test.at("/spec/automountServiceAccountToken").asBoolean()).isFalse();
    JsonNode c = test.at("/spec/containers/0");
    assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(c.at("/image").asText()).isEqualTo("busybox:1.36.1");
    String script = c.at("/command/2").asText();
    assertThat(script)
        .contains("http://sweeps-dks-sweep.research.svc:8080/q/health/ready")
        .contains("/api/ingest/trials/helm-test-0/summary")
        .contains("grep -q 401")
        .contains("/api/sweeps");
    String guarded =
        renderTestPod(Map.of("dashboard.auth", "token", "dashboard.token.existingSecret", "tok"))
            .get("Pod")
            .at("/spec/containers/0/command/2")
            .asText();
    assertThat(guarded)
        .as("a protected read API is not probed without its token")
        .doesNotContain("/api/sweeps");
  }

  @Test
  void trainerDefaultsReachTheOperator() throws IOException {
    Map<String, JsonNode> env =
        env(
            render(
                template()
                    .set("trainer.queueName", "team-a")
                    .set("trainer.nodeSelector.accelerator", "a100")
                    .set("trainer.activeDeadline", "12h")));
    assertThat(env.get("DKS_TRAINER_QUEUE_NAME").get("value").asText()).isEqualTo("team-a");
    assertThat(env.get("DKS_TRAINER_NODE_SELECTOR").get("value").asText())
        .isEqualTo("accelerator=a100");
    assertThat(env.get("DKS_TRAINER_ACTIVE_DEADLINE").get("value").asText()).isEqualTo("12h");
  }

  @Test
  void theDashboardReadsAsAMemberOfTheReaderRole() throws IOException {
    Map<String, JsonNode> env =
        env(
            render(
                template()
                    .set("dashboard.reader.enabled", true)
                    .set("dashboard.reader.existingSecret", "dks-reader")));
    assertThat(env.get("DKS_DASHBOARD_DATASOURCE_JDBC_URL").get("value").asText()).isEqualTo(DB);
    assertThat(
            env.get("DKS_DASHBOARD_DATASOURCE_USERNAME")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("dks-reader");
    assertThat(
            env.get("DKS_DASHBOARD_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/key").asText())
        .isEqualTo("password");
  }

  @Test
  void openIdConnectAndTheSharedTokenAreWiredFromSecrets() throws IOException {
    Map<String, JsonNode> oidc =
        env(
            render(
                template()
                    .set("dashboard.auth", "oidc")
                    .set("dashboard.oidc.authServerUrl", "https://idp.example.org/realms/r")
                    .set("dashboard.oidc.clientId", "dks")
                    .set("dashboard.oidc.existingSecret", "dks-oidc")
                    .set("dashboard.oidc.roles[0]", "dks-viewer")
                    .set("dashboard.oidc.roles[1]", "admin")));
    assertThat(oidc.get("DKS_DASHBOARD_OIDC_ENABLED").get("value").asText()).isEqualTo("true");
    assertThat(oidc.get("QUARKUS_OIDC_AUTH_SERVER_URL").get("value").asText())
        .isEqualTo("https://idp.example.org/realms/r");
    assertThat(
            oidc.get("QUARKUS_OIDC_CREDENTIALS_SECRET").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("dks-oidc");
    assertThat(oidc.get("DKS_DASHBOARD_OIDC_ROLES").get("value").asText())
        .isEqualTo("dks-viewer,admin");
    assertThat(oidc).doesNotContainKey("DKS_DASHBOARD_TOKEN");
    Map<String, JsonNode> token =
        env(
            render(
                template()
                    .set("dashboard.auth", "token")
                    .set("dashboard.token.existingSecret", "dks-token")));
    assertThat(token.get("DKS_DASHBOARD_TOKEN").at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("dks-token");
    assertThat(token).doesNotContainKey("DKS_DASHBOARD_OIDC_ENABLED");
  }

  @Test
  void missingOrWrongValuesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new Helm(CHART).template().withName("x").call())
        .hasMessageContaining("database.url is required");
    assertThatThrownBy(() -> template().set("dashboard.reader.enabled", true).call())
        .hasMessageContaining("dashboard.reader.existingSecret");
    assertThatThrownBy(() -> template().set("dashboard.auth", "oidc").call())
        .hasMessageContaining("dashboard.oidc.authServerUrl");
    // the values schema: helm names the field as a JSON pointer
    assertThatThrownBy(() -> template().set("dashboard.auth", "ldap").call())
        .hasMessageContaining("/dashboard/auth")
        .hasMessageContaining("'none', 'token', 'oidc'");
    assertThatThrownBy(() -> template().set("service.port", "http").call())
        .hasMessageContaining("/service/port");
    assertThatThrownBy(() -> template().set("databse.url", DB).call())
        .hasMessageContaining("databse");
    assertThatThrownBy(() -> template().set("database.url", "postgres://db/dks").call())
        .hasMessageContaining("/database/url");
  }
}
