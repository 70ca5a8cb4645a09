package dev.dkssweep.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.OperatorReplica;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chart's default install ({@code helm install} with no values: the bundled PostgreSQL, one
 * operator replica) on a real API server with kube-controller-manager, whatever {@code KUBECONFIG}
 * names; the nodes are played ({@link PlayedNode} for the release's pods, {@link PlayedKubelet} for
 * the trial pods). The StatefulSet and Deployment controllers create the pods from the chart's
 * templates; the operator runs with its pod's environment and its service account's token, so the
 * chart's Secrets, database roles, RBAC and probes are what it gets. Opt-in ({@code -Pe2e}); needs
 * {@code psql}, {@code pg_isready} and {@code busybox} on the PATH (the images' tools).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartInstallE2E {

  static final Path CHART = Path.of("..", "..", "helm", "dks-sweep").toAbsolutePath().normalize();
  static final String NS = "dks-install-" + Long.toHexString(System.nanoTime() & 0xffffff);
  static final String RELEASE = "dks-sweep"; // its full name is the chart's: dks-sweep

  static KubernetesClient client;
  static Path kubeconfig;
  static Path work;
  static PlayedNode node;
  static PlayedKubelet kubelet;

  @BeforeAll
  static void install() throws Exception {
    assertThat(System.getenv("KUBECONFIG")).as("KUBECONFIG names the cluster to test").isNotBlank();
    assertThat(OperatorReplica.APP).as("the packaged application").isRegularFile();
    assertThat(ClusterFixtures.TRAINER).as("the trainer jar").isRegularFile();
    kubeconfig = Path.of(System.getenv("KUBECONFIG"));
    work = Files.createTempDirectory("dks-install-e2e");
    client = new KubernetesClientBuilder().build();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    node = new PlayedNode(client, NS, work);
    kubelet = new PlayedKubelet(client, NS, work);
    new Helm(CHART).install().withName(RELEASE).withNamespace(NS).withKubeConfig(kubeconfig).call();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (client != null) {
      try {
        Helm.uninstall(RELEASE).withNamespace(NS).withKubeConfig(kubeconfig).call();
      } finally {
        ClusterE2E.kubectl("delete", "namespace", NS, "--wait=false");
      }
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (node != null) {
      node.close();
    }
    System.out.println("install e2e work directory (pod logs): " + work);
  }

  static Pod operatorPod() {
    return client
        .pods()
        .inNamespace(NS)
        .withLabel("app.kubernetes.io/name", "dks-sweep")
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getName().startsWith(RELEASE + "-"))
        .filter(p -> p.getSpec().getContainers().get(0).getName().equals("dks-sweep"))
        .findFirst()
        .orElseThrow();
  }

  static String operatorLog() throws Exception {
    Path log = node.log(operatorPod().getMetadata().getName(), "dks-sweep");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Test
  @Order(1)
  void theDefaultInstallComesUpAndItsControllersSeeItReady() throws Exception {
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(node.failures()).isEmpty();
              var db =
                  client
                      .apps()
                      .statefulSets()
                      .inNamespace(NS)
                      .withName(RELEASE + "-postgresql")
                      .get();
              assertThat(db.getStatus().getReadyReplicas())
                  .as("the database's StatefulSet")
                  .isEqualTo(1);
              var op = client.apps().deployments().inNamespace(NS).withName(RELEASE).get();
              assertThat(op.getStatus().getReadyReplicas())
                  .as("the operator's Deployment")
                  .isEqualTo(1);
            });
    String pod = operatorPod().getMetadata().getName();
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () ->
                assertThat(ClusterE2E.leaseHolder(NS))
                    .as("the operator's pod leads")
                    .isEqualTo(pod));
    // the Service routes to the operator's pod: its selector is in the pod's labels (a node-less
    // control plane cannot give the played pods' loopback addresses endpoints of their own)
    var service = client.services().inNamespace(NS).withName(RELEASE).get();
    assertThat(operatorPod().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    String health = get(pod, "/q/health/ready");
    System.out.println("operator readiness: " + health);
    assertThat(health).contains("\"status\": \"UP\"").contains("leader");
    assertThat(operatorLog()).doesNotContain("forbidden").doesNotContain("Forbidden");
  }

  @Test
  @Order(2)
  void aSweepRunsToCompleteWithTheChartsRbacAndDatabaseRoles() throws Exception {
    Path sweep = work.resolve("tiny.yaml");
    Files.writeString(
        sweep, ClusterFixtures.tinySweep("tiny", null, "learningRate: {values: [0.001]}"));
    ClusterE2E.kubectl("apply", "-n", NS, "-f", sweep.toString()).expectOk();
    ClusterE2E.Result waited =
        ClusterE2E.kubectl(
            "wait", "-n", NS, "--for=condition=Complete", "sweep/tiny", "--timeout=300s");
    if (waited.code() != 0) {
      System.out.println(ClusterE2E.kubectl("get", "-n", NS, "sweep/tiny", "-o", "yaml").out());
      System.out.println(operatorLog());
    }
    waited.expectOk();
    String table = ClusterE2E.kubectl("get", "-n", NS, "sws").expectOk().out();
    System.out.println("kubectl get sws:\n" + table);
    assertThat(table).contains("Complete").contains("4/4");
    String pod = operatorPod().getMetadata().getName();
    assertThat(get(pod, "/api/sweeps"))
        .as("the dashboard's API, reading as the chart's read-only database user")
        .contains("\"tiny\"");
    assertThat(operatorLog()).doesNotContain("forbidden").doesNotContain("Forbidden");
  }

  @Test
  @Order(3)
  void helmTestPasses() {
    var release =
        Helm.test(RELEASE).withNamespace(NS).withKubeConfig(kubeconfig).withTimeout(120).call();
    System.out.println("helm test: " + release.getName() + " " + release.getStatus());
    assertThat(node.failures()).isEmpty();
  }

  static String get(String pod, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://" + node.podIp(pod) + ":8080" + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return r.body();
  }
}
