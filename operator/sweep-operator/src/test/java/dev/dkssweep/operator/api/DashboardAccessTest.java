package dev.dkssweep.operator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.ResultStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A protected dashboard: a token for the read API, and only some namespaces visible. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
@TestProfile(DashboardAccessTest.Protected.class)
class DashboardAccessTest {

  static final String TOKEN = "s3cret token/+=";

  /** The configuration under test. */
  public static class Protected implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("dks.dashboard.token", TOKEN, "dks.dashboard.namespaces", "team-a,team-c");
    }
  }

  @Inject ResultStore store;

  @BeforeEach
  void sweeps() {
    if (store.sweep("a-1").isEmpty()) {
      store.recordSweep(new NewSweep("a-1", "team-a", "mine", 1, "{}", "val_loss", "minimize"));
      store.recordSweep(new NewSweep("b-1", "team-b", "theirs", 1, "{}", "val_loss", "minimize"));
    }
  }

  @Test
  void theReadApiNeedsTheToken() {
    given()
        .get("/api/sweeps")
        .then()
        .statusCode(401)
        .body("problems[0].field", equalTo("Authorization"));
    given().header("Authorization", "Bearer wrong").get("/api/sweeps").then().statusCode(401);
    given().get("/api/live").then().statusCode(401);
    given().header("Authorization", "Bearer " + TOKEN).get("/api/sweeps").then().statusCode(200);
    given()
        .cookie(
            "dks_token", java.net.URLEncoder.encode(TOKEN, java.nio.charset.StandardCharsets.UTF_8))
        .get("/api/sweeps/a-1")
        .then()
        .statusCode(200);
  }

  @Test
  void onlyTheConfiguredNamespacesAreVisible() {
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .get("/api/sweeps")
        .then()
        .statusCode(200)
        .body("uid", hasItem("a-1"))
        .body("namespace", everyItem(equalTo("team-a")));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .queryParam("namespace", "team-b")
        .get("/api/sweeps")
        .then()
        .statusCode(200)
        .body("size()", equalTo(0));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .get("/api/sweeps/b-1")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .get("/api/sweeps/b-1/cells")
        .then()
        .statusCode(404);
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .get("/api/sweeps/a-1/cells")
        .then()
        .statusCode(200);
  }

  @Test
  void theTrainersIngestKeepsItsOwnTokens() {
    // no dashboard token needed (or accepted) there: a per-trial token decides
    given()
        .contentType("application/json")
        .body("{}")
        .post("/api/ingest/trials/a-1-0/metrics")
        .then()
        .statusCode(401)
        .body("problems[0].field", equalTo("Authorization"));
  }
}
