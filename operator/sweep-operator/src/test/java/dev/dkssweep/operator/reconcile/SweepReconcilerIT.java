package dev.dkssweep.operator.reconcile;

import static io.restassured.RestAssured.given;
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
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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

  /** The sweep's phase, null before its first status. */
  private String phase(String name) {
    Sweep s = get(name);
    return s == null || s.getStatus() == null ? null : s.getStatus().phase();
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
    assertThat(k.maxRunning("tiny")).isLessThanOrEqualTo(2);
    assertThat(k.started("tiny")).isEqualTo(4);
    given().get("/q/health/live").then().statusCode(200); // the chart's liveness probe
    var ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
    assertThat(ready.getString("checks.find { it.name == 'Sweep reconciler' }.data.role"))
        .isEqualTo("single");
    assertThat(ready.getList("checks.name", String.class))
        .contains("Database connections health check")
        .doesNotContain("Quarkus Operator SDK health check");
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("dks_sweeps{phase=\"Complete\"}")
        .contains("dks_trials{state=\"Succeeded\"}")
        .contains("dks_reconcile_seconds")
        .containsPattern("dks_jobs_created_total [1-9]")
        .containsPattern("dks_ingest_points_total [1-9]");
    // finished Jobs are deleted once their results are recorded
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jobs(uid)).isEmpty());
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
    assertThat(ClusterFixtures.trialJobs(client, NS, WorkloadNames.SWEEP, "broken")).isEmpty();
  }

  private List<io.fabric8.kubernetes.api.model.batch.v1.Job> jobs(String uid) {
    return ClusterFixtures.trialJobs(client, NS, WorkloadNames.SWEEP_UID, uid);
  }

  /**
   * Sets spec.suspend as {@code kubectl patch --type=merge} does: without a resourceVersion, so the
   * operator's own writes to the Sweep (status, finalizer) cannot make it conflict.
   */
  private void patchSuspend(String name, boolean suspend) {
    client
        .resources(Sweep.class)
        .inNamespace(NS)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":" + suspend + "}}");
  }

  static final String SLOW = "learningRate: {values: [0.001]}";

  static String slow(String name) {
    return ClusterFixtures.tinySweep(name, NS, SLOW)
        .replace("epochs: 1", "epochs: 3")
        .replace("trainLimit: 512", "trainLimit: 3000");
  }

  @Test
  void suspendStopsTheRunningTrialsAndResumingFinishesTheSweep() throws Exception {
    FakeKubelet k = kubelet();
    String uid = apply(slow("pausing")).getMetadata().getUid();
    await().atMost(Duration.ofMinutes(2)).until(() -> !jobs(uid).isEmpty());
    patchSuspend("pausing", true);
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              Sweep s = get("pausing");
              assertThat(s.getStatus()).isNotNull();
              assertThat(condition(s, "Suspended").getStatus()).isEqualTo("True");
              assertThat(s.getStatus().phase()).isEqualTo("Stopped");
              assertThat(jobs(uid)).as("the running trials' Jobs are deleted").isEmpty();
            });
    assertThat(store.trials(uid)).noneMatch(t -> t.state() == TrialState.RUNNING);
    assertThat(store.trials(uid)).anyMatch(t -> t.state() == TrialState.STOPPED);
    int startedBefore = k.started("pausing");
    Thread.sleep(2_000);
    assertThat(k.started("pausing")).as("nothing starts while suspended").isEqualTo(startedBefore);
    patchSuspend("pausing", false);
    await()
        .atMost(Duration.ofMinutes(4))
        .untilAsserted(() -> assertThat(phase("pausing")).isEqualTo("Complete"));
    List<StoredTrial> trials = store.trials(uid);
    assertThat(trials).allSatisfy(t -> assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED));
    assertThat(trials)
        .as("a stopped trial runs again as a new attempt")
        .anyMatch(t -> t.attempt() > 1);
    assertThat(condition(get("pausing"), "Suspended").getStatus()).isEqualTo("False");
  }

  @Test
  void deletingTheSweepStopsItsJobsAndKeepsItsData() throws Exception {
    kubelet();
    String uid = apply(slow("doomed")).getMetadata().getUid();
    await().atMost(Duration.ofMinutes(2)).until(() -> !jobs(uid).isEmpty());
    // the operator's trainer defaults (OperatorProfile) reach the pods of a Sweep that gives none
    var pod = jobs(uid).get(0).getSpec().getTemplate().getSpec();
    assertThat(pod.getTolerations())
        .extracting(t -> t.getKey())
        .containsExactly("dkssweep.dev/test-nodes");
    assertThat(pod.getContainers().get(0).getResources().getRequests().get("memory"))
        .hasToString("1Gi");
    client.resources(Sweep.class).inNamespace(NS).withName("doomed").delete();
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              assertThat(get("doomed")).as("the finalizer let it go").isNull();
              assertThat(jobs(uid)).isEmpty();
            });
    var stored = store.sweep(uid).orElseThrow();
    assertThat(stored.phase()).isEqualTo(dev.dkssweep.sweep.lifecycle.SweepPhase.STOPPED);
    assertThat(stored.phaseReason()).isEqualTo(dev.dkssweep.sweep.lifecycle.EventReason.DELETED);
    assertThat(store.trials(uid)).hasSize(4).noneMatch(t -> t.state() == TrialState.RUNNING);
  }

  @Test
  void aTrialWhoseImageCannotBePulledDegradesTheSweepThenFailsAsNotStarted() throws Exception {
    kubelet();
    String uid =
        apply(
                ClusterFixtures.tinySweep("unpullable", NS, RATE)
                    .replace("method: [dks, standard]", "method: [dks]")
                    .replace("seeds: 2", "seeds: 1")
                    .replace(
                        "retry: {maxRetries: 0}",
                        "retry: {maxRetries: 0}\n  trainer: {image: ghcr.io/dks-sweep/trainer"
                            + FakeKubelet.UNPULLABLE
                            + "}"))
            .getMetadata()
            .getUid();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Sweep s = get("unpullable");
              assertThat(s.getStatus()).isNotNull();
              Condition degraded = condition(s, "Degraded");
              assertThat(degraded.getStatus()).isEqualTo("True");
              assertThat(degraded.getReason()).isEqualTo("TrialsCannotStart");
              assertThat(degraded.getMessage())
                  .startsWith("1 trial attempt cannot start (trial 0: ImagePullBackOff")
                  .contains("no-such-tag");
              assertThat(s.getStatus().counts().queued()).isEqualTo(1);
            });
    await()
        .atMost(Duration.ofMinutes(1))
        .untilAsserted(
            () -> {
              StoredTrial t = store.trials(uid).get(0);
              assertThat(t.state()).isEqualTo(TrialState.FAILED);
              assertThat(t.failureReason())
                  .startsWith("could not start (never started in 8 s: ImagePullBackOff");
              assertThat(phase("unpullable")).isIn("Complete", "Failed");
            });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(condition(get("unpullable"), "Degraded").getStatus())
                    .as("nothing waits any more")
                    .isEqualTo("False"));
    assertThat(
            client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "unpullable".equals(e.getInvolvedObject().getName()))
                .filter(e -> "TrialsCannotStart".equals(e.getReason())))
        .as("one Warning while it could not start")
        .singleElement()
        .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
  }

  @Test
  void aGrownSpecRunsOnlyItsNewCells() throws Exception {
    FakeKubelet k = kubelet();
    String uid =
        apply(
                ClusterFixtures.tinySweep("growing", NS, RATE)
                    .replace("method: [dks, standard]", "method: [dks]"))
            .getMetadata()
            .getUid();
    await()
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(() -> assertThat(phase("growing")).isEqualTo("Complete"));
    List<StoredTrial> before = store.trials(uid);
    assertThat(before).hasSize(2);
    assertThat(k.started("growing")).isEqualTo(2);
    // append a depth (a JSON patch: the mock server merges lists of a merge patch element-wise)
    client
        .resources(Sweep.class)
        .inNamespace(NS)
        .withName("growing")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/spec/space/depth/-\",\"value\":6}]");
    await()
        .atMost(Duration.ofMinutes(3))
        .untilAsserted(
            () -> {
              Sweep s = get("growing");
              assertThat(s.getStatus().observedGeneration()).isEqualTo(2L);
              assertThat(s.getStatus().phase()).isEqualTo("Complete");
              assertThat(s.getStatus().progress()).isEqualTo("4/4");
            });
    List<StoredTrial> after = store.trials(uid);
    assertThat(after)
        .hasSize(4)
        .allSatisfy(t -> assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED));
    assertThat(after.subList(0, 2))
        .as("the first generation's trials are not run again")
        .isEqualTo(before);
    assertThat(k.started("growing")).as("only the new cell's two seeds ran").isEqualTo(4);
  }

  @Test
  void aPreemptionAndAKueueRequeueAreNeitherFailuresNorNewAttempts() throws Exception {
    FakeKubelet k = kubelet();
    k.plan("bumpy", 0, FakeKubelet.Interruption.DISRUPT);
    k.plan("bumpy", 1, FakeKubelet.Interruption.REQUEUE);
    String uid =
        apply(
                slow("bumpy")
                    .replace("method: [dks, standard]", "method: [dks]")
                    .replace(
                        "retry: {maxRetries: 0}",
                        "retry: {maxRetries: 0}\n  trainer: {queueName: team-queue}"))
            .getMetadata()
            .getUid();
    await()
        .atMost(Duration.ofMinutes(4))
        .untilAsserted(() -> assertThat(phase("bumpy")).isEqualTo("Complete"));
    Sweep s = get("bumpy");
    assertThat(s.getStatus().counts().succeeded()).isEqualTo(2);
    assertThat(s.getStatus().counts().failed()).isZero();
    assertThat(store.trials(uid))
        .hasSize(2)
        .allSatisfy(
            t -> {
              assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED);
              assertThat(t.attempt()).as("the same attempt ran on").isEqualTo(1);
              assertThat(t.failedAttempts()).isZero();
              assertThat(t.objective()).isNotNull();
            });
    assertThat(k.started("bumpy")).as("each trial's pod ran twice").isEqualTo(4);
    assertThat(k.createdRunnable("bumpy")).as("created suspended, for Kueue").isZero();
    assertThat(k.admitted("bumpy"))
        .as("admitted, then admitted again after the requeue")
        .isEqualTo(3);
  }

  @Test
  void aFailingTrialIsRetriedThenFailsTheSweepPastItsBudget() throws Exception {
    FakeKubelet k = kubelet();
    String uid =
        apply(
                ClusterFixtures.tinySweep("failing", NS, RATE)
                    .replace("method: [dks, standard]", "method: [dks]")
                    .replace("seeds: 2", "seeds: 1")
                    .replace(
                        "retry: {maxRetries: 0}",
                        "retry: {maxRetries: 1}\n  budget: {maxFailedTrials: 0}\n"
                            + "  trainer: {args: [--engine=bogus], cleanup: {keepFailed: true}}"))
            .getMetadata()
            .getUid();
    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(() -> assertThat(phase("failing")).isEqualTo("Failed"));
    Sweep s = get("failing");
    assertThat(condition(s, "Failed").getStatus()).isEqualTo("True");
    assertThat(condition(s, "Failed").getReason()).isEqualTo("TooManyFailedTrials");
    assertThat(s.getStatus().counts().failed()).isEqualTo(1);
    StoredTrial t = store.trials(uid).get(0);
    assertThat(t.state()).isEqualTo(TrialState.FAILED);
    assertThat(t.attempt()).as("retried once").isEqualTo(2);
    assertThat(k.started("failing")).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(jobs(uid))
                  .as("both failed attempts' Jobs are kept, labelled retained")
                  .extracting(j -> j.getMetadata().getName())
                  .containsExactlyInAnyOrder("failing-t0-a1", "failing-t0-a2");
              assertThat(jobs(uid))
                  .allSatisfy(
                      j ->
                          assertThat(j.getMetadata().getLabels())
                              .containsEntry(WorkloadNames.RETAINED, "true"));
              assertThat(
                      client
                          .secrets()
                          .inNamespace(NS)
                          .withLabel(WorkloadNames.SWEEP_UID, uid)
                          .list()
                          .getItems())
                  .as(
                      "their TrialSpecs' Secrets are deleted: the tokens can write nothing any more")
                  .isEmpty();
            });
  }
}
