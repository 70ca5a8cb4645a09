package dev.dkssweep.operator.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.operator.Fixtures;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's read API as the application serves it, on a fixture in a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class DashboardApiIT {

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
            Goal.MAXIMIZE));
    store.recordCells(
        UID, List.of(Fixtures.cell(0, "dks", 50, 0.001), Fixtures.cell(1, "standard", 50, 0.001)));
    store.recordTrials(
        UID,
        List.of(
            new NewTrial(0, 0, 1),
            new NewTrial(1, 0, 2),
            new NewTrial(2, 1, 1),
            new NewTrial(3, 1, 2)));
    double[] accuracy = {0.9, 0.8, 0.4, 0.3};
    for (int i = 0; i < 4; i++) {
      Fixtures.succeed(
          store,
          UID,
          i,
          accuracy[i],
          List.of(
              new MetricPoint(10, 1, "val_accuracy", accuracy[i] - 0.1, 1_000),
              new MetricPoint(20, 2, "val_accuracy", accuracy[i], 2_000)),
          null);
    }
  }

  @Test
  void servesOneTrialWithItsSummaryEventsAndLogTail() throws Exception {
    store.recordEvent(UID, 1, EventType.WARNING, EventReason.FAILED, "exit code 1: <oops>");
    given()
        .get("/api/sweeps/" + UID + "/trials/1")
        .then()
        .statusCode(200)
        .body("trial.state", equalTo("Succeeded"))
        .body("worker", equalTo("pid:1"))
        .body("summary.finalMetrics.val_accuracy", equalTo(0.8f))
        .body("events[0].message", equalTo("exit code 1: <oops>"));
    given().get("/api/sweeps/" + UID + "/trials/99").then().statusCode(404);
    given()
        .get("/api/sweeps/" + UID + "/events")
        .then()
        .statusCode(200)
        .body("[0].reason", equalTo("Failed"))
        .body("[0].trialIndex", equalTo(1));
    given().queryParam("limit", 0).get("/api/sweeps/" + UID + "/events").then().statusCode(400);
    // the fixture's name is not a local sweep name: no log directory for it
    given().get("/api/sweeps/" + UID + "/trials/1/log").then().statusCode(204);
    given().get("/api/sweeps/" + UID + "/trials/99/log").then().statusCode(404);

    Fixtures.runningSweep(store, "logged-uid", "local", "logged", "pid:7");
    java.nio.file.Path dir =
        EmbeddedPostgresResource.runs.resolve("logged").resolve("trial-0").resolve("attempt-1");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve("trainer.log"), "line 1\nline 2\nline 3\n");
    given()
        .queryParam("lines", 2)
        .get("/api/sweeps/logged-uid/trials/0/log")
        .then()
        .statusCode(200)
        .body(equalTo("line 2\nline 3"));
    given()
        .queryParam("lines", 0)
        .get("/api/sweeps/logged-uid/trials/0/log")
        .then()
        .statusCode(400)
        .body("problems[0].field", equalTo("lines"));
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
        .queryParam("name", "val_accuracy")
        .get("/api/sweeps/" + UID + "/cells/0/curves")
        .then()
        .statusCode(200)
        .body("step", equalTo(List.of(10, 20)))
        .body("[1].mean", equalTo(0.85f))
        .body("[1].n", equalTo(2));
    given()
        .get("/api/sweeps/" + UID + "/paper-table")
        .then()
        .statusCode(200)
        .body("method", hasItem("standard"));
  }

  @Test
  void aNulCharacterInAParameterIsABadRequestNamingIt() {
    given()
        .queryParam("namespace", "research\u0000")
        .get("/api/sweeps")
        .then()
        .statusCode(400)
        .body("problems[0].field", org.hamcrest.Matchers.equalTo("namespace"));
    given()
        .queryParam("method", "\u0000")
        .get("/api/sweeps/" + UID + "/trials")
        .then()
        .statusCode(400)
        .body("problems[0].field", org.hamcrest.Matchers.equalTo("method"));
  }

  @Test
  void malformedNumbersAreBadRequestsAndAnUnknownSweepIsNotFoundEverywhere() {
    given()
        .get("/api/sweeps/" + UID + "/trials/abc")
        .then()
        .statusCode(400)
        .body("problems[0].field", org.hamcrest.Matchers.equalTo("index"));
    given()
        .queryParam("limit", "ten")
        .get("/api/sweeps")
        .then()
        .statusCode(400)
        .body("problems[0].field", org.hamcrest.Matchers.equalTo("limit"));
    given()
        .queryParam("desc", "maybe")
        .get("/api/sweeps/" + UID + "/trials")
        .then()
        .statusCode(400)
        .body("problems[0].field", org.hamcrest.Matchers.equalTo("desc"));
    for (String path :
        new String[] {"", "/trials", "/cells", "/paper-table", "/events", "/trials/0/curves"}) {
      given().get("/api/sweeps/no-such-sweep" + path).then().statusCode(404);
    }
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() {
    for (String path : new String[] {"/", "/api/sweeps", "/api/sweeps/no-such-sweep"}) {
      given()
          .get(path)
          .then()
          .header("X-Content-Type-Options", "nosniff")
          .header("X-Frame-Options", "DENY")
          .header("Referrer-Policy", "no-referrer");
    }
  }
}
