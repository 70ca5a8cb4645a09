package dev.dkssweep.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.OperatorReplica;
import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import dev.dkssweep.store.EmbeddedDatabase;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged operator (prod profile: leader election through a Lease) on
 * Fabric8's mock API server, with a real PostgreSQL and the real trainer ({@link FakeKubelet}): the
 * leader is killed (SIGKILL, lease not released) while trials run, the standby takes the lease,
 * adopts the running trial Jobs and finishes the sweep; no trial is lost, launched twice or counted
 * twice, and no metric point is lost. The trainers post to the standby's ingest API, as the Service
 * would route them to either replica, so results keep arriving while no replica leads.
 */
class LeaderHandoverIT {

  static final String NS = "research";

  static KubernetesMockServer server;
  static KubernetesClient client;
  static EmbeddedDatabase db;
  static FakeKubelet kubelet;
  static Path work;
  static final List<OperatorReplica> replicas = new ArrayList<>();

  @BeforeAll
  static void cluster() throws Exception {
    work = Files.createTempDirectory("dks-handover");
    server = ClusterFixtures.crudServer(new ProdProfileDispatcher());
    server.init();
    client = server.createClient();
    ClusterFixtures.installCrdAndNamespace(client, NS);
    db = EmbeddedDatabase.start(null);
    kubelet = new FakeKubelet(client, work);
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (OperatorReplica r : replicas) {
      r.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (db != null) {
      db.close();
    }
    if (server != null) {
      server.destroy();
    }
    System.out.println("handover work directory (replica logs, trainer logs): " + work);
  }

  static OperatorReplica replica(String identity, int port, int ingestPort) throws Exception {
    OperatorReplica r =
        OperatorReplica.start(
            identity,
            port,
            work,
            Map.ofEntries(
                // Fabric8's own settings: the application's client settings are fixed at build time
                Map.entry("KUBERNETES_MASTER", server.url("/").toString()),
                Map.entry("KUBERNETES_NAMESPACE", NS),
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl()),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                Map.entry("QUARKUS_OPERATOR_SDK_CONTROLLERS_SWEEP_NAMESPACES", NS),
                Map.entry("DKS_OPERATOR_LEASE_NAMESPACE", NS),
                Map.entry("DKS_INGEST_URL", "http://127.0.0.1:" + ingestPort + "/api/ingest"),
                Map.entry("DKS_INGEST_TOKEN_SECRET", "a-handover-secret-of-enough-length"),
                Map.entry("DKS_RESYNC", "2s"),
                Map.entry("DKS_TRAINER_THREADS", "1")));
    replicas.add(r);
    return r;
  }

  private static Sweep sweep(String name) {
    return client.resources(Sweep.class).inNamespace(NS).withName(name).get();
  }

  private static String holder() {
    Lease lease = client.leases().inNamespace(NS).withName("dks-sweep-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void theStandbyTakesOverWhenTheLeaderIsKilledAndNothingIsLostOrDoubled() throws Exception {
    int portA = OperatorReplica.freePort();
    int portB = OperatorReplica.freePort();
    OperatorReplica a = replica("replica-a", portA, portB);
    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(a.readiness()).contains("leader"));
    assertThat(holder()).isEqualTo("replica-a");
    OperatorReplica b = replica("replica-b", portB, portB);
    await()
        .atMost(Duration.ofMinutes(2))
        .ignoreExceptions()
        .untilAsserted(
            () -> assertThat(b.readiness()).as("a standby is ready").contains("standby"));

    Sweep applied =
        client
            .resources(Sweep.class)
            .inNamespace(NS)
            .resource(
                client
                    .getKubernetesSerialization()
                    .unmarshal(
                        ClusterFixtures.tinySweep(
                            "handover", NS, "learningRate: {values: [0.001, 0.003]}"),
                        Sweep.class))
            .create();
    String uid = applied.getMetadata().getUid();
    // the leader dies while trials run and some have finished: both kinds must survive it
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                kubelet.started("handover") >= 4
                    && !ClusterFixtures.trialJobs(client, NS, WorkloadNames.SWEEP, "handover")
                        .isEmpty());
    a.kill();
    assertThat(a.isAlive()).isFalse();

    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Sweep s = sweep("handover");
              assertThat(s.getStatus()).isNotNull();
              assertThat(s.getStatus().phase()).isEqualTo("Complete");
            });
    assertThat(holder()).as("the standby holds the lease").isEqualTo("replica-b");
    assertThat(b.readiness()).contains("leader");
    Sweep done = sweep("handover");
    assertThat(done.getStatus().progress()).isEqualTo("8/8");
    assertThat(done.getStatus().counts().succeeded()).isEqualTo(8);
    assertThat(done.getStatus().counts().failed()).isZero();
    assertThat(kubelet.started("handover"))
        .as("each trial's pod started once: no Job created twice, no attempt taken for lost")
        .isEqualTo(8);
    assertThat(kubelet.maxRunning("handover")).isLessThanOrEqualTo(2);

    try (Connection c = db.dataSource().getConnection()) {
      List<String> trials = new ArrayList<>();
      List<Long> points = new ArrayList<>();
      try (var st =
          c.prepareStatement(
              """
              SELECT t.trial_index, t.state, t.attempt,
                     (SELECT count(*) FROM metric_points p WHERE p.trial_id = t.id) AS points
              FROM trials t JOIN sweeps s ON s.id = t.sweep_id
              WHERE s.uid = ? ORDER BY t.trial_index""")) {
        st.setString(1, uid);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            trials.add(rs.getInt(1) + ":" + rs.getString(2) + ":" + rs.getInt(3));
            points.add(rs.getLong(4));
          }
        }
      }
      assertThat(trials)
          .as("every trial once, succeeded in its first attempt")
          .containsExactly(
              "0:Succeeded:1",
              "1:Succeeded:1",
              "2:Succeeded:1",
              "3:Succeeded:1",
              "4:Succeeded:1",
              "5:Succeeded:1",
              "6:Succeeded:1",
              "7:Succeeded:1");
      assertThat(points.get(0)).isPositive();
      assertThat(points)
          .as("the same trial shape reports the same points: none lost in the handover")
          .containsOnly(points.get(0));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(ClusterFixtures.trialJobs(client, NS, WorkloadNames.SWEEP, "handover"))
                    .as("the new leader deletes the finished Jobs, the old leader's included")
                    .isEmpty());
    assertThat(a.log()).contains("replica-a");
  }
}
