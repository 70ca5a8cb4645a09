package dev.dkssweep.operator.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
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
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard behind OpenID Connect: the read API needs an access token signed by the provider
 * (and, here, the dks-viewer role), a browser without a session is sent to the provider's login,
 * and the trainers' ingest API is untouched. The provider is Quarkus' WireMock OIDC server (JWKS,
 * discovery, signed tokens).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(OidcDashboardIT.Oidc.class)
class OidcDashboardIT {

  /** The configuration under test. */
  public static class Oidc implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "dks.dashboard.oidc.enabled", "true",
          "dks.dashboard.oidc.roles", "dks-viewer,admin",
          "quarkus.oidc.tenant-enabled", "true",
          "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
          "quarkus.oidc.client-id", "quarkus-web-app",
          "quarkus.oidc.credentials.secret", "secret");
    }
  }

  @Inject ResultStore store;

  @BeforeEach
  void sweep() {
    if (store.sweep("o-1").isEmpty()) {
      store.recordSweep(new NewSweep("o-1", "team-a", "oidc", 1, "{}", "val_loss", Goal.MINIMIZE));
    }
  }

  @Test
  void theReadApiNeedsAnAccessTokenWithTheRole() {
    given().header("Authorization", "Bearer not-a-jwt").get("/api/sweeps").then().statusCode(401);
    given()
        .auth()
        .oauth2(OidcWiremockTestResource.getAccessToken("alice", Set.of("dks-viewer")))
        .get("/api/sweeps")
        .then()
        .statusCode(200)
        .body("uid", hasItem("o-1"));
    given()
        .auth()
        .oauth2(OidcWiremockTestResource.getAccessToken("bob", Set.of("user")))
        .get("/api/sweeps/o-1")
        .then()
        .statusCode(403);
  }

  @Test
  void aBrowserWithoutASessionIsSentToTheProvidersLogin() {
    given()
        .redirects()
        .follow(false)
        .accept("text/html")
        .get("/")
        .then()
        .statusCode(302)
        // the authorization endpoint the provider's discovery document names, code flow
        .header(
            "Location",
            org.hamcrest.Matchers.startsWith(
                org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("keycloak.url", String.class)
                    + "/realms/quarkus?response_type=code"))
        .header("Location", containsString("client_id=quarkus-web-app"))
        .header("Location", containsString("redirect_uri="));
  }

  @TestHTTPResource("/")
  URL root;

  /** The whole browser flow: the page, the provider's login form, back with a session. */
  @Test
  void aUserLogsInAtTheProviderAndSeesTheSweeps() {
    ChromeDriver browser = Browsers.chrome();
    try {
      browser.get(root.toString());
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
      wait.until(d -> !d.findElements(By.id("username")).isEmpty());
      assertThat(browser.getCurrentUrl()).contains("/realms/quarkus");
      browser.findElement(By.id("username")).sendKeys("alice");
      browser.findElement(By.id("password")).sendKeys("alice");
      browser.findElement(By.id("login")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#sweeps tr[data-uid='o-1']")).isEmpty());
      assertThat(browser.getCurrentUrl()).startsWith(root.toString());
      assertThat(browser.findElements(By.id("token-form"))).isEmpty();
      // the live stream is authorised by the same session
      wait.until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
    } finally {
      browser.quit();
    }
  }

  @Test
  void thePagesOwnApiCallsAreToldToLogInAgain() {
    given()
        .redirects()
        .follow(false)
        .header("X-Requested-With", "JavaScript")
        .get("/api/sweeps")
        .then()
        .statusCode(499);
  }

  @Test
  void theIngestApiKeepsItsOwnTokens() {
    // a trainer's token is no JWT: the ingest endpoint itself answers (not the OIDC layer)
    given()
        .header("Authorization", "Bearer trial-token-not-a-jwt")
        .contentType("application/json")
        .body("{}")
        .post("/api/ingest/trials/x-1/metrics")
        .then()
        .statusCode(401)
        .body("problems[0].field", org.hamcrest.Matchers.equalTo("Authorization"));
  }
}
