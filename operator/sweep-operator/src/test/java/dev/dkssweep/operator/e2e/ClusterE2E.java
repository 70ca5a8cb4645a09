package dev.dkssweep.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.OperatorReplica;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import dev.dkssweep.store.EmbeddedDatabase;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator against a real Kubernetes API server, whatever {@code KUBECONFIG} names (kind, a
 * cluster, or a bare control plane: kube-apiserver, etcd and kube-controller-manager): the CRD is
 * installed, examples are applied with {@code kubectl}, invalid ones are refused by the server's
 * schema and CEL rules, and a sweep runs to {@code Complete} with the real Job controller, the pods
 * played by {@link PlayedKubelet}. Opt-in: {@code ./mvnw -pl operator/sweep-operator -am verify
 * -Pe2e} (not part of the CI suite, which has no cluster).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterE2E {

  static final Path CRD = Path.of("target", "kubernetes", "sweeps.dkssweep.dev-v1.yml");
  static final Path EXAMPLES = Path.of("..", "..", "examples").toAbsolutePath().normalize();

  static final String NS = "dks-e2e-" + Long.toHexString(System.nanoTime() & 0xffffff);

  static KubernetesClient client;
  static EmbeddedDatabase db;
  static OperatorReplica operator;
  static OperatorReplica standby;
  static PlayedService service;
  static PlayedKubelet kubelet;
  static Path work;

  @BeforeAll
  static void cluster() throws Exception {
    assertThat(System.getenv("KUBECONFIG")).as("KUBECONFIG names the cluster to test").isNotBlank();
    assertThat(ClusterFixtures.TRAINER).as("the trainer jar").isRegularFile();
    work = Files.createTempDirectory("dks-e2e");
    client = new KubernetesClientBuilder().build();
    kubectl("apply", "--server-side", "--force-conflicts", "-f", CRD.toString()).expectOk();
    kubectl("wait", "--for=condition=Established", "crd/sweeps.dkssweep.dev", "--timeout=60s")
        .expectOk();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    db = EmbeddedDatabase.start(null);
    service = new PlayedService();
    operator = startOperator("replica-a", OperatorReplica.freePort());
    kubelet = new PlayedKubelet(client, NS, work);
  }

  /** Who holds the operator's leader Lease in {@code namespace} (kubectl's answer). */
  static String leaseHolder(String namespace) throws IOException, InterruptedException {
    return kubectl(
            "get",
            "lease",
            "-n",
            namespace,
            "dks-sweep-operator",
            "-o",
            "jsonpath={.spec.holderIdentity}")
        .expectOk()
        .out();
  }

  /**
   * Starts a replica of the operator on {@code port} and adds it to the played Service's endpoints:
   * every replica's trainers post to the Service, which spreads their connections over the replicas
   * still alive.
   */
  static OperatorReplica startOperator(String identity, int port) throws IOException {
    service.addEndpoint(port);
    return OperatorReplica.start(
        identity,
        port,
        work,
        Map.ofEntries(
            Map.entry("KUBECONFIG", System.getenv("KUBECONFIG")),
            Map.entry("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl()),
            Map.entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
            Map.entry("QUARKUS_OPERATOR_SDK_CONTROLLERS_SWEEP_NAMESPACES", NS),
            Map.entry("DKS_OPERATOR_LEASE_NAMESPACE", NS),
            Map.entry("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true"), // as the chart runs it
            Map.entry("DKS_INGEST_URL", "http://127.0.0.1:" + service.port() + "/api/ingest"),
            Map.entry("DKS_INGEST_TOKEN_SECRET", "an-e2e-secret-of-enough-length"),
            Map.entry("DKS_RESYNC", "2s"),
            Map.entry("DKS_TRAINER_THREADS", "1")));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (kubelet != null) {
      kubelet.close();
    }
    if (client != null) {
      kubectl("delete", "namespace", NS, "--wait=false");
    }
    for (OperatorReplica r : new OperatorReplica[] {operator, standby}) {
      if (r != null) {
        r.close();
      }
    }
    if (service != null) {
      service.close();
    }
    if (db != null) {
      db.close();
    }
    System.out.println("e2e work directory (operator log, trainer logs): " + work);
  }

  record Result(int code, String out, String err) {
    Result expectOk() {
      assertThat(code).as("kubectl: %s %s", out, err).isZero();
      return this;
    }
  }

  static Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    p.waitFor(120, TimeUnit.SECONDS);
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  /** {@code kubectl apply -n NS -f} a file of {@code yaml}. */
  static Result applyFile(String name, String yaml) throws IOException, InterruptedException {
    return kubectl("apply", "-n", NS, "-f", file(name, yaml).toString());
  }

  static Path file(String name, String yaml) throws IOException {
    Path f = work.resolve(name + ".yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void theExamplesAreValidResourcesAndExplainThemselves() throws Exception {
    try (var s = Files.list(EXAMPLES)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".yaml")).sorted().toList()) {
        kubectl("apply", "-n", NS, "--dry-run=server", "-f", p.toString()).expectOk();
      }
    }
    assertThat(kubectl("explain", "sweep.spec.space.depth").expectOk().out())
        .contains("Network depths");
    assertThat(kubectl("explain", "sweep.status.counts").expectOk().out()).contains("running");
  }

  @Test
  void theServerRefusesWhatTheSchemaAndCelRulesForbid() throws Exception {
    Result both =
        applyFile(
            "both",
            sweepYaml(
                "both",
                "learningRate: {values: [0.001], logRange: {min: 0.001, max: 0.01, count: 2}}"));
    assertThat(both.code()).isNotZero();
    assertThat(both.err()).contains("give either values or logRange");
    Result range =
        applyFile(
            "range",
            sweepYaml("range", "learningRate: {values: [0.001]}")
                .replace("depth: [4]", "depth: [0]"));
    assertThat(range.code()).isNotZero();
    assertThat(range.err()).contains("spec.space.depth[0]");
  }

  static String sweepYaml(String name, String learningRate) {
    return ClusterFixtures.tinySweep(name, null, learningRate);
  }

  @Test
  void aSweepRunsToCompleteWithTheRealJobController() throws Exception {
    applyFile("tiny", sweepYaml("tiny", "learningRate: {values: [0.001]}")).expectOk();
    Result waited =
        kubectl("wait", "-n", NS, "--for=condition=Complete", "sweep/tiny", "--timeout=300s");
    if (waited.code() != 0) {
      System.out.println(kubectl("get", "-n", NS, "sweep/tiny", "-o", "yaml").out());
      System.out.println(kubectl("get", "-n", NS, "jobs,pods", "-o", "wide").out());
    }
    waited.expectOk();
    String table = kubectl("get", "-n", NS, "sws").expectOk().out();
    assertThat(table).contains("PHASE").contains("PROGRESS").contains("Complete").contains("4/4");
    String wide = kubectl("get", "-n", NS, "sws", "-o", "wide").expectOk().out();
    System.out.println("kubectl get sws -o wide:\n" + wide);
    assertThat(wide).contains("BEST-CELL");
    assertThat(
            kubectl("get", "-n", NS, "sweep/tiny", "-o", "jsonpath={.status.counts.succeeded}")
                .expectOk()
                .out())
        .isEqualTo("4");
    assertThat(kubelet.maxRunning()).isLessThanOrEqualTo(2);
    assertThat(kubelet.started()).isGreaterThanOrEqualTo(4);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(ClusterFixtures.trialJobs(client, NS, WorkloadNames.SWEEP, "tiny"))
                    .as("finished Jobs are deleted once recorded")
                    .isEmpty());
    String events =
        kubectl("get", "events", "-n", NS, "--field-selector", "involvedObject.name=tiny")
            .expectOk()
            .out();
    System.out.println("kubectl get events:\n" + events);
    assertThat(events).contains("Launched").contains("AllTrialsFinished");
    List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : operator.log().lines().toList()) {
      if (line.startsWith("{")) {
        lines.add(json.readTree(line));
      }
    }
    assertThat(lines)
        .as("JSON log lines naming the sweep they are about")
        .anySatisfy(
            l -> {
              assertThat(l.at("/message").asText()).contains("AllTrialsFinished");
              assertThat(l.at("/mdc/resource.name").asText()).isEqualTo("tiny");
              assertThat(l.at("/mdc/resource.namespace").asText()).isEqualTo(NS);
            });
    kubectl("delete", "-n", NS, "sweep/tiny", "--timeout=60s").expectOk();
  }

  @Test
  @Order(Integer.MAX_VALUE - 1)
  void aReplicaSaysWhenTheInstalledCrdIsOlderThanItself() throws Exception {
    assertThat(operator.log())
        .as("the current CRD passes the check")
        .doesNotContain("is older than this operator")
        .doesNotContain("is not installed");
    var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    var crd = (com.fasterxml.jackson.databind.node.ObjectNode) yaml.readTree(CRD.toFile());
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            crd.at(
                "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/trainer"
                    + "/properties"))
        .remove("tolerations");
    Path older = work.resolve("older-crd.yaml");
    yaml.writeValue(older.toFile(), crd);
    kubectl("apply", "--server-side", "--force-conflicts", "-f", older.toString()).expectOk();
    OperatorReplica replica = startOperator("replica-c", OperatorReplica.freePort());
    try {
      await()
          .atMost(Duration.ofMinutes(1))
          .untilAsserted(
              () ->
                  assertThat(replica.log())
                      .contains("is older than this operator: it lacks spec.trainer.tolerations"));
    } finally {
      replica.close();
      kubectl("apply", "--server-side", "--force-conflicts", "-f", CRD.toString()).expectOk();
    }
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void aStandbyReplicaTakesOverWhenTheLeaderDiesAndNothingIsLostOrDoubled() throws Exception {
    standby = startOperator("replica-b", OperatorReplica.freePort());
    await()
        .atMost(Duration.ofMinutes(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(standby.readiness())
                  .as("a standby serves: it is ready")
                  .contains("standby");
              assertThat(operator.readiness()).contains("leader");
            });
    applyFile("handover", sweepYaml("handover", "learningRate: {values: [0.001, 0.003]}"))
        .expectOk();
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                !client
                    .pods()
                    .inNamespace(NS)
                    .withLabel(WorkloadNames.SWEEP, "handover")
                    .list()
                    .getItems()
                    .isEmpty());
    operator.kill(); // the leader dies mid-sweep, without releasing its lease
    Result waited =
        kubectl("wait", "-n", NS, "--for=condition=Complete", "sweep/handover", "--timeout=300s");
    if (waited.code() != 0) {
      System.out.println(kubectl("get", "-n", NS, "sweep/handover", "-o", "yaml").out());
    }
    waited.expectOk();
    assertThat(leaseHolder(NS)).isEqualTo("replica-b");
    String counts =
        kubectl(
                "get",
                "-n",
                NS,
                "sweep/handover",
                "-o",
                "jsonpath={.status.progress} {.status.counts.succeeded} {.status.counts.failed}")
            .expectOk()
            .out();
    assertThat(counts).as("every trial once, none lost").isEqualTo("8/8 8 0");
    String uid =
        kubectl("get", "-n", NS, "sweep/handover", "-o", "jsonpath={.metadata.uid}")
            .expectOk()
            .out();
    List<Long> points = new ArrayList<>();
    try (var c = db.dataSource().getConnection();
        var st =
            c.prepareStatement(
                """
                SELECT (SELECT count(*) FROM metric_points p WHERE p.trial_id = t.id)
                  FROM trials t JOIN sweeps s ON s.id = t.sweep_id
                 WHERE s.uid = ? ORDER BY t.trial_index""")) {
      st.setString(1, uid);
      try (var rs = st.executeQuery()) {
        while (rs.next()) {
          points.add(rs.getLong(1));
        }
      }
    }
    assertThat(points).hasSize(8);
    assertThat(points.get(0)).isPositive();
    assertThat(points)
        .as(
            "the trials share one shape, so each reports the same points: every trainer's reached"
                + " a live replica through the Service, before and after the leader died")
        .containsOnly(points.get(0));
  }
}
