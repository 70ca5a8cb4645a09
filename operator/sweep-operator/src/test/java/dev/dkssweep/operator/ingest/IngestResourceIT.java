package dev.dkssweep.operator.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.operator.Fixtures;
import dev.dkssweep.sweep.control.LaunchSettings;
import dev.dkssweep.sweep.control.SweepRequest;
import dev.dkssweep.sweep.control.SweepRound;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.FakeTrialExecutor;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.TestSummaries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ingest API in the real application, on a real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class IngestResourceIT {

  @Inject ResultStore store;
  @Inject TrialTokens tokens;

  static final String TRIAL = "sweep-uid-1-0";

  @BeforeEach
  void sweep() {
    if (store.sweep("sweep-uid-1").isPresent()) {
      return;
    }
    Fixtures.runningSweep(store, "sweep-uid-1", "local", "ingest", "pid:1");
  }

  static String batch(String values) {
    return "{\"trialId\":\"" + TRIAL + "\",\"attempt\":1,\"points\":[" + values + "]}";
  }

  static String point(long step, String value) {
    return "{\"step\":"
        + step
        + ",\"epoch\":1,\"name\":\"train_loss\",\"value\":"
        + value
        + ",\"time\":1764000000000}";
  }

  @Test
  void aBatchIsStoredOnceAndARepeatIsANoOp() {
    String body = batch(point(1, "0.5") + "," + point(2, "0.4"));
    ingest(TRIAL, "metrics", body).statusCode(200).body("inserted", equalTo(2));
    ingest(TRIAL, "metrics", body)
        .statusCode(200)
        .body("inserted", equalTo(0))
        .body("duplicates", equalTo(2));
    assertThat(store.trials("sweep-uid-1").get(0).pointCount()).isEqualTo(2);
  }

  @Test
  void aWrongOrMissingTokenIsRefused() {
    given()
        .contentType(ContentType.JSON)
        .body(batch(point(3, "0.3")))
        .post("/api/ingest/trials/" + TRIAL + "/metrics")
        .then()
        .statusCode(401)
        .body("problems[0].field", equalTo("Authorization"));
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + tokens.token(new TrialKey("sweep-uid-1", 7, 1)))
        .body(batch(point(3, "0.3")))
        .post("/api/ingest/trials/" + TRIAL + "/metrics")
        .then()
        .statusCode(401);
  }

  @Test
  void badBatchesAreRefusedNamingTheFieldAndNothingIsWritten() {
    long before = store.trials("sweep-uid-1").get(0).pointCount();
    ingest(TRIAL, "metrics", batch(point(10, "0.3") + "," + point(11, "1e999")))
        .statusCode(400)
        .body("problems[0].field", containsString("points[1]"));
    String fifth = batch(point(12, "0.3")).replace("\"attempt\":1", "\"attempt\":5");
    ingest(TRIAL, "metrics", fifth)
        .statusCode(403)
        .body("problems[0].field", equalTo("attempt"))
        .body("problems[0].message", containsString("the token is attempt 1's"));
    ingestAs(TRIAL, 5, "metrics", fifth) // attempt 5's own token, but the trial is at attempt 1
        .statusCode(400)
        .body("problems[0].field", equalTo("attempt"));
    ingest(TRIAL, "metrics", "{\"trialId\": 3").statusCode(400);
    assertThat(store.trials("sweep-uid-1").get(0).pointCount()).isEqualTo(before);
  }

  @Test
  void aSummarySetsTheObjective() {
    String summary =
        "{\"trialId\":\""
            + TRIAL
            + "\",\"attempt\":1,\"status\":\"succeeded\","
            + "\"finalMetrics\":{\"val_accuracy\":0.75},\"bestMetrics\":{\"val_accuracy\":0.8},"
            + "\"steps\":10,\"seconds\":1.0,\"samplesPerSecond\":100.0,\"unsentPoints\":0}";
    ingest(TRIAL, "summary", summary).statusCode(200);
    assertThat(store.trials("sweep-uid-1").get(0).objective()).isEqualTo(0.75);
  }

  /**
   * A trial that the round has finished keeps its result: a late summary (or batch) with the
   * trial's valid token is a 409 and changes nothing (it used to replace the objective).
   */
  @Test
  void aFinishedTrialsRecordIsFinal() {
    String uid = "finished-sweep-uid";
    String yaml =
        """
        objective: {metric: val_accuracy, goal: maximize}
        space: {method: [dks], activation: [tanh], depth: [4], width: [16], learningRate: [0.01],
                dataset: synthetic-clusters, epochs: 2}
        """;
    FakeTrialExecutor executor = new FakeTrialExecutor();
    SweepRound round =
        new SweepRound(
            store,
            executor,
            new LaunchSettings("http://127.0.0.1:1/api/ingest", tokens::token, 1),
            Clock.systemUTC());
    SweepRequest request =
        SweepRequest.run(uid, "local", "finished", 1, SweepDocuments.read(yaml, "f").spec());
    round.run(request);
    TrialSummary done = summary(uid + "-0", 0.81);
    executor.exit(new TrialKey(uid, 0, 1), AttemptExit.of(0, done, "", List.of()));
    assertThat(round.run(request).phase()).isEqualTo(SweepPhase.COMPLETE);

    ingest(uid + "-0", "summary", ProtocolJson.write(summary(uid + "-0", 0.99)))
        .statusCode(409)
        .body("problems[0].field", equalTo("attempt"))
        .body("problems[0].message", containsString("has ended"));
    ingest(
            uid + "-0",
            "metrics",
            "{\"trialId\":\"" + uid + "-0\",\"attempt\":1,\"points\":[" + point(500, "0.1") + "]}")
        .statusCode(409);

    assertThat(store.trials(uid).get(0).objective()).isEqualTo(0.81);
  }

  @Test
  void aNulCharacterIsABadRequestNamingItsField() {
    TrialSummary nul =
        new TrialSummary(
            TRIAL,
            1,
            TrialStatus.FAILED,
            Map.of(),
            Map.of(),
            0,
            0,
            0,
            null,
            null,
            "broken\u0000message",
            0);
    ingest(TRIAL, "summary", ProtocolJson.write(nul))
        .statusCode(400)
        .body("problems[0].field", equalTo("errorMessage"))
        .body("problems[0].message", containsString("NUL"));
    ingest(
            TRIAL,
            "metrics",
            batch("{\"step\":9,\"epoch\":1,\"name\":\"loss\\u0000\",\"value\":1,\"time\":1}"))
        .statusCode(400)
        .body("problems[0].field", equalTo("points[0].name"));
  }

  /**
   * A request without the trial's token is refused before its body is read: the 401 comes while the
   * client has sent a few bytes of the 9 MB it announced (the server used to wait for, and buffer,
   * the whole body first).
   */
  @Test
  void aWrongTokenIsRefusedBeforeTheBodyIsRead() throws Exception {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/ingest/trials/"
                  + TRIAL
                  + "/metrics HTTP/1.1\r\n"
                  + "Host: 127.0.0.1\r\nAuthorization: Bearer wrong\r\n"
                  + "Content-Type: application/json\r\nContent-Length: 9000000\r\n\r\n{\"trialId\"")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(in.readLine()).as("answered before the body").startsWith("HTTP/1.1 401");
    }
  }

  /**
   * POSTs to a trial's ingest endpoint ({@code metrics} or {@code summary}) with its first
   * attempt's token.
   */
  private ValidatableResponse ingest(String trialId, String endpoint, String body) {
    return ingestAs(trialId, 1, endpoint, body);
  }

  private ValidatableResponse ingestAs(String trialId, int attempt, String endpoint, String body) {
    return given()
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + tokens.token(TrialId.parse(trialId).attempt(attempt)))
        .body(body)
        .post("/api/ingest/trials/" + trialId + "/" + endpoint)
        .then();
  }

  @Test
  void aTokenIsOneAttemptsAndNothingElse() {
    String token = tokens.token(TrialId.parse(TRIAL).attempt(1));
    String mac = token.substring(token.indexOf('.') + 1);
    for (String forged :
        List.of(
            "2." + mac, // the next attempt's number on this attempt's MAC
            "0." + mac,
            mac, // no attempt
            "1." + mac + "x",
            "01." + mac.substring(1),
            "-1." + mac,
            "1.",
            "99999999999." + mac)) {
      given()
          .contentType(ContentType.JSON)
          .header("Authorization", "Bearer " + forged)
          .body(batch(point(40, "0.3")))
          .post("/api/ingest/trials/" + TRIAL + "/metrics")
          .then()
          .statusCode(401);
    }
    String second = tokens.token(TrialId.parse(TRIAL).attempt(2));
    assertThat(second).startsWith("2.").isNotEqualTo(token);
    given()
        .contentType(ContentType.JSON)
        .header("Authorization", "Bearer " + second)
        .body(batch(point(41, "0.3")))
        .post("/api/ingest/trials/" + TRIAL + "/metrics")
        .then()
        .statusCode(403); // attempt 2's token cannot write attempt 1's record
  }

  static TrialSummary summary(String trialId, double accuracy) {
    return TestSummaries.succeeded(trialId, 1, accuracy, accuracy);
  }
}
