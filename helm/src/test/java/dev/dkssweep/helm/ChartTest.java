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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart, rendered by helm itself (helm-java): lint, manifests, wiring, value checks. */
class ChartTest {

  static final Path CHART = Path.of("dks-sweep");
  static final String DB = "jdbc:postgresql://postgres.data:5432/dks";

  @TempDir Path tmp;

  static StubApiServer api;

  @BeforeAll
  static void startApi() throws IOException {
    api = new StubApiServer();
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }

  @BeforeEach
  void aFirstInstall() {
    api.clear();
  }

  /** An install over an external PostgreSQL (the values such a user gives). */
  private static TemplateCommand template() {
    return bundled()
        .set("postgresql.enabled", false)
        .set("database.url", DB)
        .set("database.existingSecret", "dks-db");
  }

  /** The default install: no values at all, the bundled PostgreSQL. */
  private static TemplateCommand bundled() {
    return new Helm(CHART).template().withName("sweeps").withNamespace("research");
  }

  /**
   * The rendered manifests by kind (the first of each kind) and by kind, namespace and name ({@code
   * Role/team-a/sweeps-dks-sweep}; {@code ClusterRole//sweeps-dks-sweep-research-sweeps}).
   */
  private static Map<String, JsonNode> render(TemplateCommand command) throws IOException {
    Map<String, JsonNode> byKind = new HashMap<>();
    for (JsonNode doc : renderAll(command)) {
      String kind = doc.get("kind").asText();
      byKind.putIfAbsent(kind, doc);
      String ns = doc.at("/metadata/namespace").asText();
      if (ns.isEmpty() && !kind.startsWith("Cluster")) {
        ns = "research"; // helm installs it in the release's namespace
      }
      byKind.put(kind + "/" + ns + "/" + doc.at("/metadata/name").asText(), doc);
    }
    return byKind;
  }

  private static List<JsonNode> renderAll(TemplateCommand command) throws IOException {
    return parse(command.call());
  }

  private static List<JsonNode> parse(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    ObjectMapper mapper = new YAMLMapper();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      for (JsonNode doc : mapper.readValues(parser, JsonNode.class).readAll()) {
        if (doc != null && doc.has("kind")) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static Map<String, JsonNode> env(Map<String, JsonNode> manifests) {
    Map<String, JsonNode> env = new HashMap<>();
    for (JsonNode e : manifests.get("Deployment").at("/spec/template/spec/containers/0/env")) {
      env.put(e.get("name").asText(), e);
    }
    return env;
  }

  @Test
  void lintsCleanWithNoValuesAtAll() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void lintsCleanOverAnExternalDatabase() throws IOException {
    Path chart = tmp.resolve("dks-sweep");
    copyChart(chart);
    ObjectMapper yaml = new YAMLMapper();
    ObjectNode values = (ObjectNode) yaml.readTree(chart.resolve("values.yaml").toFile());
    ((ObjectNode) values.get("database")).put("url", DB).put("existingSecret", "dks-db");
    ((ObjectNode) values.get("postgresql")).put("enabled", false);
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
    assertThat(verbs.get("leases"))
        .as("the leader elector renews with a patch (ChartInstallE2E found it forbidden)")
        .containsExactly("get", "create", "update", "patch");
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
            .set("postgresql.enabled", false)
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
    assertThat(env)
        .as("nothing the user left at its default")
        .doesNotContainKeys(
            "DKS_TRAINER_IMAGE",
            "DKS_TRAINER_CPU",
            "DKS_TRAINER_MEMORY",
            "DKS_TRAINER_GPUS",
            "DKS_TRAINER_TOLERATIONS",
            "DKS_TRAINER_AFFINITY");
    Map<String, JsonNode> gpu =
        env(
            render(
                template()
                    .set("trainer.image", "ghcr.io/dks-sweep/trainer:0.1.0-cuda")
                    .set("trainer.resources.cpu", "4")
                    .set("trainer.resources.memory", "12Gi")
                    .set("trainer.resources.gpus", 1)
                    .set("trainer.tolerations[0].key", "nvidia.com/gpu")
                    .set("trainer.tolerations[0].operator", "Exists")
                    .set("trainer.tolerations[0].effect", "NoSchedule")
                    .set(
                        "trainer.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].key",
                        "nvidia.com/gpu.product")
                    .set(
                        "trainer.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
                            + ".nodeSelectorTerms[0].matchExpressions[0].operator",
                        "Exists")));
    assertThat(gpu.get("DKS_TRAINER_IMAGE").get("value").asText())
        .isEqualTo("ghcr.io/dks-sweep/trainer:0.1.0-cuda");
    assertThat(gpu.get("DKS_TRAINER_CPU").get("value").asText()).isEqualTo("4");
    assertThat(gpu.get("DKS_TRAINER_MEMORY").get("value").asText()).isEqualTo("12Gi");
    assertThat(gpu.get("DKS_TRAINER_GPUS").get("value").asText()).isEqualTo("1");
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(gpu.get("DKS_TRAINER_TOLERATIONS").get("value").asText()))
        .isEqualTo(
            json.readTree(
                "[{\"effect\":\"NoSchedule\",\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\"}]"));
    assertThat(
            json.readTree(gpu.get("DKS_TRAINER_AFFINITY").get("value").asText())
                .at(
                    "/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/0"
                        + "/matchExpressions/0/key")
                .asText())
        .isEqualTo("nvidia.com/gpu.product");
    assertThat(
            env(render(template().set("trainer.resources.gpus", 0)))
                .get("DKS_TRAINER_GPUS")
                .get("value")
                .asText())
        .as("0 GPUs is a default too")
        .isEqualTo("0");
    assertThatThrownBy(() -> template().set("trainer.tolerations[0].effect", "Sometimes").call())
        .hasMessageContaining("/trainer/tolerations/0/effect");
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
    assertThatThrownBy(() -> bundled().set("postgresql.enabled", false).call())
        .hasMessageContaining("database.url is required with postgresql.enabled=false");
    assertThatThrownBy(() -> bundled().set("database.url", DB).call())
        .hasMessageContaining("set postgresql.enabled=false with them");
    assertThatThrownBy(() -> bundled().set("dashboard.reader.enabled", true).call())
        .hasMessageContaining("the bundled one (postgresql.enabled) always gives the dashboard");
    assertThatThrownBy(
            () ->
                template().set("watch.allNamespaces", true).set("watch.namespaces[0]", "a").call())
        .hasMessageContaining("leave watch.namespaces empty");
    assertThatThrownBy(() -> bundled().set("postgresql.persistence.size", "lots").call())
        .hasMessageContaining("/postgresql/persistence/size");
    assertThatThrownBy(() -> bundled().set("watch.namespaces[0]", "Team_A").call())
        .hasMessageContaining("/watch/namespaces/0");
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

  @Test
  void theDefaultInstallRunsItsOwnPostgresqlAsANonRootStatefulSetWithAVolume() throws IOException {
    Map<String, JsonNode> m = render(bundled());
    JsonNode sts = m.get("StatefulSet/research/sweeps-dks-sweep-postgresql");
    assertThat(sts).isNotNull();
    assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(1);
    JsonNode pod = sts.at("/spec/template/spec");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(999);
    assertThat(pod.at("/automountServiceAccountToken").asBoolean()).isFalse();
    JsonNode c = pod.at("/containers/0");
    assertThat(c.at("/image").asText())
        .as("the official image, pinned")
        .matches("docker\\.io/library/postgres:\\d+\\.\\d+");
    assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
    assertThat(c.at("/readinessProbe/exec/command/0").asText()).isEqualTo("pg_isready");
    assertThat(c.at("/livenessProbe/exec/command/0").asText()).isEqualTo("pg_isready");
    List<String> mounts = new ArrayList<>();
    c.get("volumeMounts").forEach(v -> mounts.add(v.get("mountPath").asText()));
    assertThat(mounts)
        .as("the data volume, the init script and writable scratch on a read-only root")
        .containsExactlyInAnyOrder(
            "/var/lib/postgresql/data",
            "/docker-entrypoint-initdb.d",
            "/var/run/postgresql",
            "/tmp");
    Map<String, JsonNode> env = new HashMap<>();
    c.get("env").forEach(e -> env.put(e.get("name").asText(), e));
    assertThat(env.get("PGDATA").get("value").asText()).startsWith("/var/lib/postgresql/data/");
    for (String secret : List.of("POSTGRES_PASSWORD", "DKS_APP_PASSWORD", "DKS_READER_PASSWORD")) {
      assertThat(env.get(secret).at("/valueFrom/secretKeyRef/name").asText())
          .isEqualTo("sweeps-dks-sweep-postgresql");
    }
    JsonNode claim = sts.at("/spec/volumeClaimTemplates/0");
    assertThat(claim.at("/spec/resources/requests/storage").asText()).isEqualTo("8Gi");
    assertThat(claim.at("/spec/storageClassName").isMissingNode()).isTrue();
    assertThat(
            render(bundled().set("postgresql.persistence.storageClass", "fast"))
                .get("StatefulSet")
                .at("/spec/volumeClaimTemplates/0/spec/storageClassName")
                .asText())
        .isEqualTo("fast");
    // its Service selects its pods only, the operator's Service never them
    JsonNode dbService = m.get("Service/research/sweeps-dks-sweep-postgresql");
    JsonNode appService = m.get("Service/research/sweeps-dks-sweep");
    JsonNode dbLabels = sts.at("/spec/template/metadata/labels");
    assertThat(selects(dbService.at("/spec/selector"), dbLabels)).isTrue();
    assertThat(selects(appService.at("/spec/selector"), dbLabels)).isFalse();
    assertThat(
            selects(
                m.get("Deployment").at("/spec/selector/matchLabels"),
                sts.at("/spec/template/metadata/labels")))
        .isFalse();
    // the entrypoint runs each *.sh and *.sql once: only the script, which gives the SQL its
    // passwords as psql variables
    JsonNode init = m.get("ConfigMap/research/sweeps-dks-sweep-postgresql-init");
    List<String> keys = new ArrayList<>();
    init.get("data").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyInAnyOrder("10-init-roles.sh", "init-roles.psql");
    assertThat(init.at("/data/10-init-roles.sh").asText())
        .contains("-v app_password=\"$DKS_APP_PASSWORD\"")
        .contains("-f /docker-entrypoint-initdb.d/init-roles.psql");
    JsonNode initVolume = null;
    for (JsonNode v : pod.get("volumes")) {
      if (v.get("name").asText().equals("init")) {
        initVolume = v;
      }
    }
    assertThat(initVolume.at("/configMap/defaultMode").asInt()).isEqualTo(0555);
    // the init script is the chart's own file
    assertThat(
            m.get("ConfigMap/research/sweeps-dks-sweep-postgresql-init")
                .at("/data/init-roles.psql")
                .asText())
        .isEqualTo(Files.readString(CHART.resolve("files/init-roles.sql")));
  }

  private static boolean selects(JsonNode selector, JsonNode labels) {
    var fields = selector.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theApplicationConnectsAsTheOwnerAndTheDashboardAsAReaderWithGeneratedPasswords()
      throws IOException {
    String yaml = bundled().call();
    Map<String, JsonNode> m = render(bundled());
    Map<String, JsonNode> env = env(m);
    String url = "jdbc:postgresql://sweeps-dks-sweep-postgresql.research.svc:5432/dks";
    assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL").get("value").asText()).isEqualTo(url);
    assertThat(env.get("QUARKUS_DATASOURCE_USERNAME").get("value").asText()).isEqualTo("dks");
    assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/key").asText())
        .isEqualTo("password");
    assertThat(env.get("DKS_DASHBOARD_DATASOURCE_JDBC_URL").get("value").asText()).isEqualTo(url);
    assertThat(env.get("DKS_DASHBOARD_DATASOURCE_USERNAME").get("value").asText())
        .isEqualTo("dks_dashboard");
    assertThat(
            env.get("DKS_DASHBOARD_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/key").asText())
        .isEqualTo("reader-password");
    assertThat(env.get("DKS_INGEST_TOKEN_SECRET").at("/valueFrom/secretKeyRef/name").asText())
        .as("the chart's own signing key")
        .isEqualTo("sweeps-dks-sweep-ingest");
    assertThat(m.get("Deployment").at("/spec/template/spec/initContainers/0/command/2").asText())
        .as("the application starts once its database answers")
        .contains("pg_isready -h sweeps-dks-sweep-postgresql.research.svc");
    JsonNode db = m.get("Secret/research/sweeps-dks-sweep-postgresql");
    assertThat(db.at("/metadata/annotations/helm.sh~1resource-policy").asText())
        .as("the passwords outlive an uninstall, as the volume does")
        .isEqualTo("keep");
    List<String> generated = new ArrayList<>();
    for (String key : List.of("postgres-password", "password", "reader-password")) {
      generated.add(decoded(db, key));
    }
    generated.add(decoded(m.get("Secret/research/sweeps-dks-sweep-ingest"), "token-secret"));
    assertThat(generated).allSatisfy(p -> assertThat(p).hasSize(32)).doesNotHaveDuplicates();
    assertThat(generated)
        .as("no password in plain text anywhere in the rendered output")
        .allSatisfy(p -> assertThat(yaml).doesNotContain(p));
    assertThat(
            decoded(
                render(bundled()).get("Secret/research/sweeps-dks-sweep-postgresql"), "password"))
        .as("helm template cannot look up the installed Secret: a fresh value each render")
        .isNotEqualTo(generated.get(1));
    for (JsonNode doc : renderAll(bundled())) {
      for (JsonNode c : doc.at("/spec/template/spec/containers")) {
        for (JsonNode e : c.path("env")) {
          if (e.get("name").asText().matches(".*(PASSWORD|SECRET|TOKEN).*")) {
            assertThat(e.has("value"))
                .as("%s of %s comes from a Secret", e.get("name"), doc.at("/metadata/name"))
                .isFalse();
          }
        }
      }
    }
    assertThat(
            env(render(template().set("ingest.existingSecret", "mine")))
                .get("DKS_INGEST_TOKEN_SECRET")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("mine");
    assertThat(render(template().set("ingest.existingSecret", "mine")))
        .as("no Secret of the chart's own when the user gives one, and no database")
        .doesNotContainKeys("Secret", "StatefulSet");
  }

  private static String decoded(JsonNode secret, String key) {
    return new String(
        java.util.Base64.getDecoder().decode(secret.at("/data/" + key).asText()),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> rules(JsonNode role) {
    Map<String, List<String>> verbs = new java.util.TreeMap<>();
    role.get("rules")
        .forEach(
            r -> {
              List<String> v = new ArrayList<>();
              r.get("verbs").forEach(x -> v.add(x.asText()));
              r.get("resources").forEach(x -> verbs.put(x.asText(), v));
            });
    return verbs;
  }

  @Test
  void watchedNamespacesEachGetARoleAndTheLeaseStaysInTheReleaseNamespace() throws IOException {
    Map<String, JsonNode> m =
        render(
            template().set("watch.namespaces[0]", "team-a").set("watch.namespaces[1]", "team-b"));
    assertThat(
            env(m).get("QUARKUS_OPERATOR_SDK_CONTROLLERS_SWEEP_NAMESPACES").get("value").asText())
        .isEqualTo("team-a,team-b");
    Map<String, List<String>> teamA = rules(m.get("Role/team-a/sweeps-dks-sweep"));
    assertThat(teamA).containsKeys("sweeps", "jobs", "pods/log").doesNotContainKey("leases");
    assertThat(rules(m.get("Role/team-b/sweeps-dks-sweep"))).isEqualTo(teamA);
    assertThat(rules(m.get("Role/research/sweeps-dks-sweep")))
        .as("the release's namespace, not watched: leader election only")
        .containsOnlyKeys("leases");
    for (String ns : List.of("team-a", "team-b", "research")) {
      JsonNode binding = m.get("RoleBinding/" + ns + "/sweeps-dks-sweep");
      assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("sweeps-dks-sweep");
      assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("research");
    }
    assertThat(m).doesNotContainKey("ClusterRole/" + "/sweeps-dks-sweep-research-sweeps");
    Map<String, JsonNode> withOwn =
        render(
            template().set("watch.namespaces[0]", "research").set("watch.namespaces[1]", "team-a"));
    assertThat(rules(withOwn.get("Role/research/sweeps-dks-sweep")))
        .containsKeys("sweeps", "leases");
  }

  @Test
  void everyNamespaceIsAClusterRoleWithTheSameRules() throws IOException {
    Map<String, JsonNode> m = render(template().set("watch.allNamespaces", true));
    assertThat(
            env(m).get("QUARKUS_OPERATOR_SDK_CONTROLLERS_SWEEP_NAMESPACES").get("value").asText())
        .isEqualTo("JOSDK_ALL_NAMESPACES");
    Map<String, List<String>> namespaced =
        rules(render(template()).get("Role/research/sweeps-dks-sweep"));
    namespaced.remove("leases");
    assertThat(rules(m.get("ClusterRole//sweeps-dks-sweep-research-sweeps"))).isEqualTo(namespaced);
    assertThat(
            m.get("ClusterRoleBinding//sweeps-dks-sweep-research-sweeps")
                .at("/subjects/0/namespace")
                .asText())
        .isEqualTo("research");
    assertThat(rules(m.get("Role/research/sweeps-dks-sweep"))).containsOnlyKeys("leases");
  }

  @Test
  void anUpgradeKeepsThePasswordsAndTheSigningKeyTheInstallGenerated() throws IOException {
    Map<String, JsonNode> first = render(bundled());
    JsonNode db = first.get("Secret/research/sweeps-dks-sweep-postgresql");
    JsonNode ingest = first.get("Secret/research/sweeps-dks-sweep-ingest");
    Map<String, String> dbData = new HashMap<>();
    db.get("data").fields().forEachRemaining(e -> dbData.put(e.getKey(), e.getValue().asText()));
    api.putSecret("research", "sweeps-dks-sweep-postgresql", dbData);
    api.putSecret(
        "research",
        "sweeps-dks-sweep-ingest",
        Map.of("token-secret", ingest.at("/data/token-secret").asText()));
    Map<String, JsonNode> upgrade = render(bundled().set("replicas", 2));
    assertThat(upgrade.get("Secret/research/sweeps-dks-sweep-postgresql").get("data"))
        .as("the installed passwords, not new ones")
        .isEqualTo(db.get("data"));
    assertThat(upgrade.get("Secret/research/sweeps-dks-sweep-ingest").get("data"))
        .isEqualTo(ingest.get("data"));
    // a Secret that lacks a key (an older chart's) keeps what it has and gains the key
    api.putSecret(
        "research",
        "sweeps-dks-sweep-postgresql",
        Map.of("postgres-password", dbData.get("postgres-password")));
    JsonNode partial = render(bundled()).get("Secret/research/sweeps-dks-sweep-postgresql");
    assertThat(partial.at("/data/postgres-password").asText())
        .isEqualTo(dbData.get("postgres-password"));
    assertThat(decoded(partial, "password")).hasSize(32);
  }

  @Test
  void anIngressAndAServiceMonitorWhenAsked() throws IOException {
    assertThat(render(bundled())).doesNotContainKeys("Ingress", "ServiceMonitor");
    Map<String, JsonNode> m =
        render(
            template()
                .set("ingress.enabled", true)
                .set("ingress.className", "nginx")
                .set("ingress.hosts[0].host", "dks.example.org")
                .set("ingress.tls[0].secretName", "dks-tls")
                .set("ingress.tls[0].hosts[0]", "dks.example.org")
                .set("serviceMonitor.enabled", true)
                .set("serviceMonitor.labels.release", "prometheus"));
    JsonNode ingress = m.get("Ingress");
    assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
    JsonNode rule = ingress.at("/spec/rules/0");
    assertThat(rule.get("host").asText()).isEqualTo("dks.example.org");
    assertThat(rule.at("/http/paths/0/path").asText()).isEqualTo("/");
    assertThat(rule.at("/http/paths/0/pathType").asText()).isEqualTo("Prefix");
    assertThat(rule.at("/http/paths/0/backend/service/name").asText())
        .isEqualTo(m.get("Service").at("/metadata/name").asText());
    assertThat(rule.at("/http/paths/0/backend/service/port/name").asText())
        .isEqualTo(m.get("Service").at("/spec/ports/0/name").asText());
    assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("dks-tls");
    JsonNode monitor = m.get("ServiceMonitor");
    assertThat(monitor.at("/apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
    assertThat(monitor.at("/spec/selector/matchLabels"))
        .isEqualTo(m.get("Service").at("/spec/selector"));
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    assertThatThrownBy(() -> template().set("ingress.hosts[0].paths[0].path", "api").call())
        .hasMessageContaining("/ingress/hosts/0/paths/0/path");
  }

  /** The documented profiles (docs/install.md): values beyond the release's name and namespace. */
  static final Map<String, Map<String, Object>> PROFILES =
      Map.of(
          "default (bundled database)",
          Map.of(),
          "external database with reader",
          Map.of(
              "postgresql.enabled",
              false,
              "database.url",
              DB,
              "database.existingSecret",
              "dks-db",
              "dashboard.reader.enabled",
              true,
              "dashboard.reader.existingSecret",
              "dks-reader"),
          "namespaced",
          Map.of("watch.namespaces[0]", "team-a", "watch.namespaces[1]", "team-b"),
          "cluster-wide",
          Map.of("watch.allNamespaces", true),
          "gpu and kueue",
          Map.of(
              "trainer.image", "ghcr.io/dks-sweep/trainer:0.1.0-cuda",
              "trainer.resources.gpus", 1,
              "trainer.queueName", "team-gpus",
              "trainer.runtimeClassName", "nvidia",
              "trainer.tolerations[0].key", "nvidia.com/gpu",
              "trainer.tolerations[0].operator", "Exists",
              "trainer.tolerations[0].effect", "NoSchedule"),
          "ingress and monitoring, two replicas",
          Map.of(
              "ingress.enabled",
              true,
              "serviceMonitor.enabled",
              true,
              "replicas",
              2,
              "dashboard.auth",
              "token",
              "dashboard.token.existingSecret",
              "dks-token"));

  static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
          Map.entry("StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
          Map.entry("Service", io.fabric8.kubernetes.api.model.Service.class),
          Map.entry("Secret", io.fabric8.kubernetes.api.model.Secret.class),
          Map.entry("ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
          Map.entry("ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
          Map.entry("Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
          Map.entry("RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
          Map.entry("ClusterRole", io.fabric8.kubernetes.api.model.rbac.ClusterRole.class),
          Map.entry(
              "ClusterRoleBinding", io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding.class),
          Map.entry(
              "PodDisruptionBudget",
              io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
          Map.entry("Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class));

  @Test
  void everyProfileRendersKubernetesObjectsWithoutAnUnknownField() throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (var profile : PROFILES.entrySet()) {
      TemplateCommand t = bundled();
      profile.getValue().forEach(t::set);
      List<JsonNode> docs = renderAll(t);
      assertThat(docs).as(profile.getKey()).isNotEmpty();
      for (JsonNode doc : docs) {
        String kind = doc.get("kind").asText();
        String what = profile.getKey() + ": " + kind + " " + doc.at("/metadata/name").asText();
        if (kind.equals("ServiceMonitor")) {
          continue; // the Prometheus Operator's CRD (checked in
          // anIngressAndAServiceMonitorWhenAsked)
        }
        assertThat(MODELS).as(what).containsKey(kind);
        Object model = json.treeToValue(doc, MODELS.get(kind));
        assertThat(unknownFields(model, ""))
            .as(what + ": fields Kubernetes does not know")
            .isEmpty();
        assertThat(doc.at("/metadata/labels/app.kubernetes.io~1instance").asText())
            .as(what + ": labelled as the release's")
            .isEqualTo("sweeps");
      }
    }
  }

  /** What Fabric8's models kept aside as unknown (additionalProperties), with its path. */
  static List<String> unknownFields(Object value, String path) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        out.addAll(unknownFields(list.get(i), path + "[" + i + "]"));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> out.addAll(unknownFields(v, path + "." + k)));
      return out;
    }
    if (!(value instanceof io.fabric8.kubernetes.api.model.KubernetesResource)) {
      return out;
    }
    for (java.lang.reflect.Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || !m.getName().startsWith("get")
          || m.getName().equals("getClass")) {
        continue;
      }
      try {
        Object v = m.invoke(value);
        if (m.getName().equals("getAdditionalProperties")) {
          ((Map<?, ?>) v).keySet().forEach(k -> out.add(path + "." + k));
        } else {
          out.addAll(unknownFields(v, path + "." + m.getName().substring(3)));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
