package dev.dkssweep.operator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.operator.execution.cluster.PodRef;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.TrialState;
import dev.dkssweep.sweep.store.TrialTransition;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode's log tail: the trial's worker names its pod, and the dashboard reads that pod's log
 * from the Kubernetes API (Fabric8's mock server, answering as the API server does) while the pod
 * exists.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = false)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class PodLogTest {

  static final String UID = "pod-log-uid";

  @KubernetesTestServer KubernetesServer api;

  @Inject ResultStore store;

  @BeforeEach
  void trialsOnPods() {
    if (store.sweep(UID).isEmpty()) {
      store.recordSweep(new NewSweep(UID, "research", "deep", 1, "{}", "val_loss", "minimize"));
      store.recordCells(
          UID,
          List.of(
              new NewCell(
                  0,
                  "dks",
                  "tanh",
                  "mlp",
                  4,
                  8,
                  0.01,
                  "synthetic-clusters",
                  true,
                  null,
                  null,
                  null)));
      store.recordTrials(UID, List.of(new NewTrial(0, 0, 1), new NewTrial(1, 0, 2)));
      for (int i = 0; i < 2; i++) {
        store.transition(
            UID,
            i,
            new TrialTransition(
                0,
                TrialState.RUNNING,
                1,
                new PodRef("research", "deep-t" + i + "-a1").worker(),
                null));
      }
    }
  }

  @Test
  void theTailOfARunningTrialsPodLog() {
    api.expect()
        .get()
        .withPath("/api/v1/namespaces/research/pods/deep-t0-a1/log?pretty=false&tailLines=2")
        .andReturn(200, "epoch 1: loss 0.41\nepoch 2: loss 0.33\n")
        .always();
    given()
        .queryParam("lines", 2)
        .get("/api/sweeps/" + UID + "/trials/0/log")
        .then()
        .statusCode(200)
        .body(equalTo("epoch 1: loss 0.41\nepoch 2: loss 0.33"));
  }

  @Test
  void aDeletedPodHasNoLogAnyMore() {
    api.expect()
        .get()
        .withPath("/api/v1/namespaces/research/pods/deep-t1-a1/log?pretty=false&tailLines=200")
        .andReturn(404, "{\"kind\":\"Status\",\"code\":404,\"reason\":\"NotFound\"}")
        .always();
    given().get("/api/sweeps/" + UID + "/trials/1/log").then().statusCode(204);
  }

  @Test
  void anApiFailureIsReportedNotHidden() {
    api.expect()
        .get()
        .withPath("/api/v1/namespaces/research/pods/deep-t0-a1/log?pretty=false&tailLines=7")
        .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}")
        .always();
    given()
        .queryParam("lines", 7)
        .get("/api/sweeps/" + UID + "/trials/0/log")
        .then()
        .statusCode(502)
        .body(containsString("pod/research/deep-t0-a1"));
  }
}
