package dev.dkssweep.operator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.TrialState;
import dev.dkssweep.sweep.store.TrialTransition;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's read API as the application serves it, on a fixture in a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
class DashboardApiTest {

  static final String UID = "api-fixture";

  @Inject ResultStore store;

  @BeforeEach
  void fixture() {
    if (store.sweep(UID).isPresent()) {
      return;
    }
    store.recordSweep(
        new NewSweep(
            UID,
            "local",
            "<b>fixture</b>",
            1,
            "{\"objective\": {\"reduce\": \"last\"}}",
            "val_accuracy",
            "maximize"));
    store.recordCells(
        UID,
        List.of(
            new NewCell(
                0,
                "dks",
                "tanh",
                "mlp",
                50,
                64,
                0.001,
                "synthetic-clusters",
                true,
                null,
                null,
                null),
            new NewCell(
                1,
                "standard",
                "tanh",
                "mlp",
                50,
                64,
                0.001,
                "synthetic-clusters",
                true,
                null,
                null,
                null)));
    store.recordTrials(
        UID,
        List.of(
            new NewTrial(0, 0, 1),
            new NewTrial(1, 0, 2),
            new NewTrial(2, 1, 1),
            new NewTrial(3, 1, 2)));
    double[] accuracy = {0.9, 0.8, 0.4, 0.3};
    for (int i = 0; i < 4; i++) {
      long v =
          store.transition(UID, i, new TrialTransition(0, TrialState.RUNNING, 1, "pid:" + i, null));
      store.appendMetrics(
          new MetricBatch(
              UID + "-" + i,
              1,
              List.of(
                  new MetricPoint(10, 1, "val_accuracy", accuracy[i] - 0.1, 1_000),
                  new MetricPoint(20, 2, "val_accuracy", accuracy[i], 2_000))));
      store.recordSummary(
          UID,
          new TrialSummary(
              UID + "-" + i,
              1,
              TrialStatus.SUCCEEDED,
              Map.of("val_accuracy", accuracy[i]),
              Map.of("val_accuracy", accuracy[i]),
              20,
              1,
              1,
              null,
              null,
              null,
              0));
      store.transition(UID, i, new TrialTransition(v, TrialState.SUCCEEDED, 1, null, null));
    }
  }

  @Test
  void listsSweepsWithTheirNamesAsData() {
    given()
        .get("/api/sweeps")
        .then()
        .statusCode(200)
        .body("uid", hasItem(UID))
        .body("find { it.uid == '" + UID + "' }.name", equalTo("<b>fixture</b>"));
  }

  @Test
  void pagesSortsAndFiltersTrials() {
    given()
        .queryParam("sort", "objective")
        .queryParam("desc", true)
        .queryParam("limit", 2)
        .get("/api/sweeps/" + UID + "/trials")
        .then()
        .statusCode(200)
        .body("total", equalTo(4))
        .body("rows", hasSize(2))
        .body("rows[0].objective", equalTo(0.9f))
        .body("rows[1].objective", equalTo(0.8f));
    given()
        .queryParam("method", "standard")
        .get("/api/sweeps/" + UID + "/trials")
        .then()
        .statusCode(200)
        .body("total", equalTo(2));
    given()
        .queryParam("sort", "name; DROP TABLE trials")
        .get("/api/sweeps/" + UID + "/trials")
        .then()
        .statusCode(400)
        .body(containsString("sort"));
  }

  @Test
  void servesCurvesAndCellAggregates() {
    given()
        .get("/api/sweeps/" + UID + "/trials/0/curves")
        .then()
        .statusCode(200)
        .body("value", equalTo(List.of(0.8f, 0.9f)));
    given()
        .get("/api/sweeps/" + UID + "/cells")
        .then()
        .statusCode(200)
        .body("find { it.method == 'dks' }.mean", equalTo(0.85f))
        .body("find { it.method == 'dks' }.n", equalTo(2));
    given()
        .get("/api/sweeps/" + UID + "/paper-table")
        .then()
        .statusCode(200)
        .body("method", hasItem("standard"));
  }
}
