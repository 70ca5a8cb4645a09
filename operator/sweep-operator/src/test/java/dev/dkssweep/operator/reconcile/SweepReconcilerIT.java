package dev.dkssweep.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dkssweep.operator.ClusterFixtures;
import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.operator.execution.kubernetes.WorkloadNames;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredTrial;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The operator on Fabric8's mock API server (CRUD mode) with a real PostgreSQL: a Sweep applied as
 * a resource runs to Complete through trial Jobs, whose pods {@link FakeKubelet} plays with the
 * real trainer.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class SweepReconcilerIT {

  static final String NS = "research";

  @Inject KubernetesClient client;
  @Inject ResultStore store;

  static FakeKubelet kubelet;

  @AfterAll
  static void stopKubelet() {
    if (kubelet != null) {
      kubelet.close();
    }
  }

  private FakeKubelet kubelet() throws Exception {
    if (kubelet == null) {
      Path work = Files.createTempDirectory("dks-kubelet");
      kubelet = new FakeKubelet(client, work);
    }
    return kubelet;
  }

  static final String RATE = "learningRate: {values: [0.001]}";

  private Sweep apply(String yaml) {
    Sweep s = client.getKubernetesSerialization().unmarshal(yaml, Sweep.class);
    return client.resources(Sweep.class).inNamespace(NS).resource(s).create();
  }

  private Sweep get(String name) {
    return client.resources(Sweep.class).inNamespace(NS).withName(name).get();
  }

  private static Condition condition(Sweep s, String type) {
    return s.getStatus().conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aSweepRunsToCompleteThroughTrialJobs() throws Exception {
    FakeKubelet k = kubelet();
    Sweep created = apply(ClusterFixtures.tinySweep("tiny", NS, RATE));
    String uid = created.getMetadata().getUid();
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Sweep s = get("tiny");
              assertThat(s.getStatus()).isNotNull();
              assertThat(s.getStatus().phase()).isEqualTo("Complete");
            });
    Sweep done = get("tiny");
    assertThat(done.getStatus().observedGeneration()).isEqualTo(1L);
    assertThat(condition(done, "Accepted").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Complete").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Running").getStatus()).isEqualTo("False");
    assertThat(done.getStatus().progress()).isEqualTo("4/4");
    assertThat(done.getStatus().counts().succeeded()).isEqualTo(4);
    assertThat(done.getStatus().best()).isNotNull();
    assertThat(done.getStatus().best().n()).isEqualTo(2);
    assertThat(done.getStatus().dashboardUrl()).isEqualTo("http://dks.example/#/sweep/" + uid);
    List<StoredTrial> trials = store.trials(uid);
    assertThat(trials).hasSize(4);
    assertThat(trials)
        .allSatisfy(
            t -> {
              assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED);
              assertThat(t.objective()).isNotNull();
              assertThat(t.pointCount()).isPositive();
            });
    assertThat(k.maxRunning()).isLessThanOrEqualTo(2);
    assertThat(k.started()).isEqualTo(4);
    // finished Jobs are deleted once their results are recorded
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NS)
                            .withLabel(WorkloadNames.SWEEP_UID, uid)
                            .list()
                            .getItems())
                    .isEmpty());
  }

  @Test
  void anInvalidSpecIsNotAcceptedAndNamesEveryViolation() {
    apply(
        ClusterFixtures.tinySweep("broken", NS, RATE)
            .replace("activation: [tanh]", "activation: [tanhh]")
            .replace("depth: [4]", "depth: [0]"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Sweep s = get("broken");
              assertThat(s.getStatus()).isNotNull();
              Condition accepted = condition(s, "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("InvalidSpec");
              assertThat(accepted.getMessage())
                  .contains("space.activation[0]")
                  .contains("space.depth[0]");
              assertThat(s.getStatus().phase()).isEqualTo("Pending");
            });
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel(WorkloadNames.SWEEP, "broken")
                .list()
                .getItems())
        .isEmpty();
  }
}
