package dev.dkssweep.operator.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.operator.Fixtures;
import dev.dkssweep.operator.execution.kubernetes.WorkerRef;
import dev.dkssweep.sweep.store.ResultStore;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
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
class PodLogIT {

  static final String UID = "pod-log-uid";

  @KubernetesTestServer KubernetesServer api;

  @Inject ResultStore store;

  @BeforeEach
  void trialsOnPods() {
    if (store.sweep(UID).isEmpty()) {
      Fixtures.runningSweep(
          store,
          UID,
          "research",
          "deep",
          WorkerRef.pod("research", "deep-t0-a1").worker(),
          WorkerRef.pod("research", "deep-t1-a1").worker(),
          WorkerRef.job("research", "deep-t2-a1").worker());
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

  @Test
  void aTrialOnAJobShowsItsNewestPodsLog() {
    api.expect()
        .get()
        .withPath("/api/v1/namespaces/research/pods?labelSelector=job-name%3Ddeep-t2-a1")
        .andReturn(
            200,
            new PodListBuilder()
                .addNewItem()
                .withNewMetadata()
                .withName("deep-t2-a1-old")
                .withCreationTimestamp("2026-12-01T10:00:00Z")
                .endMetadata()
                .endItem()
                .addNewItem()
                .withNewMetadata()
                .withName("deep-t2-a1-new")
                .withCreationTimestamp("2026-12-01T10:05:00Z")
                .endMetadata()
                .endItem()
                .build())
        .always();
    api.expect()
        .get()
        .withPath("/api/v1/namespaces/research/pods/deep-t2-a1-new/log?pretty=false&tailLines=200")
        .andReturn(200, "epoch 3: loss 0.2\n")
        .always();
    given()
        .get("/api/sweeps/" + UID + "/trials/2/log")
        .then()
        .statusCode(200)
        .body(equalTo("epoch 3: loss 0.2"));
  }
}
