package dev.dkssweep.operator.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.ResultStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A protected dashboard: a token for the read API, and only some namespaces visible. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
@TestProfile(DashboardAccessIT.Protected.class)
class DashboardAccessIT {

  static final String TOKEN = "s3cret token/+=";

  /** The configuration under test. */
  public static class Protected implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "dks.dashboard.token",
          TOKEN,
          "dks.dashboard.namespaces",
          "team-a,team-c",
          "dks.dashboard.allowed-hosts",
          "127.0.0.1,localhost,[::1]");
    }
  }

  @Inject ResultStore store;

  @BeforeEach
  void sweeps() {
    if (store.sweep("a-1").isEmpty()) {
      store.recordSweep(new NewSweep("a-1", "team-a", "mine", 1, "{}", "val_loss", Goal.MINIMIZE));
      store.recordSweep(
          new NewSweep("b-1", "team-b", "theirs", 1, "{}", "val_loss", Goal.MINIMIZE));
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

  @TestHTTPResource("/")
  URL root;

  @Test
  void thePageAsksForTheTokenOnceAndThenShowsOnlyVisibleSweeps() {
    ChromeDriver browser = Browsers.chrome();
    try {
      browser.get(root.toString());
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
      wait.until(d -> !d.findElements(By.id("token-form")).isEmpty());
      browser.findElement(By.id("token")).sendKeys(TOKEN);
      browser.findElement(By.cssSelector("#token-form button")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#sweeps tr[data-uid='a-1']")).isEmpty());
      assertThat(browser.findElements(By.cssSelector("#sweeps tr[data-uid='b-1']"))).isEmpty();
      // the live stream is authorised by the same cookie
      wait.until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
    } finally {
      browser.quit();
    }
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

  @Test
  void aRequestAddressedToAnotherHostIsRefused() {
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .header("Host", "rebound.example.org:8081")
        .get("/api/sweeps")
        .then()
        .statusCode(403)
        .body("problems[0].field", equalTo("Host"));
    given()
        .header("Authorization", "Bearer " + TOKEN)
        .header("Host", "127.0.0.1:8081")
        .get("/api/sweeps")
        .then()
        .statusCode(200);
  }
}
