package dev.dkssweep.operator.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.operator.Fixtures;
import dev.dkssweep.sweep.document.BadValues;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.TestSummaries;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Over a thousand malformed requests to the ingest API and the read API of the real application (on
 * a real PostgreSQL), generated from valid ones with a fixed seed: every field of a metric batch
 * and a summary given a value of another kind, unknown fields, hostile strings, garbage, truncated
 * and deeply nested bodies, wrong and forged tokens, hostile trial ids, sweep uids, indices and
 * query parameters. None may get a 5xx; each refusal is a 4xx that names its field; a refused batch
 * writes nothing (the points stored are exactly those of accepted batches); markup and SQL in an
 * accepted metric name come back verbatim; and the application serves on.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class BadRequestsIT {

  static final String UID = "bad-requests-uid";
  static final String TRIAL = UID + "-0";
  static final String SUMMARY_TRIAL = UID + "-1";
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Inject ResultStore store;
  @Inject TrialTokens tokens;

  @TestHTTPResource("/")
  URI base;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Probe(String family, String method, String path, String body, String token) {}

  record Answer(int status, String body) {}

  Answer send(Probe p) throws Exception {
    return send(http, p);
  }

  /** {@link #send} on a connection of its own. */
  Answer sendAlone(Probe p) throws Exception {
    return send(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), p);
  }

  Answer send(HttpClient client, Probe p) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(p.path())).header("Content-Type", "application/json");
    if (p.token() != null) {
      b.header("Authorization", p.token());
    }
    b.method(
        p.method(),
        p.method().equals("POST")
            ? HttpRequest.BodyPublishers.ofString(p.body() == null ? "" : p.body())
            : HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  String bearer(String trialId) {
    return "Bearer " + tokens.token(TrialId.parse(trialId).attempt(1));
  }

  /** Every kind of value, and null (which a protocol document must not carry). */
  static final List<Supplier<JsonNode>> OTHER_KINDS = withNull();

  static List<Supplier<JsonNode>> withNull() {
    List<Supplier<JsonNode>> all = new ArrayList<>(BadValues.OF_EVERY_KIND);
    all.add(F::nullNode);
    return all;
  }

  /** Numbers at and beyond the edges (as JSON text; some are not valid JSON numbers at all). */
  static final List<String> EXTREMES =
      List.of(
          "0",
          "-0.0",
          "9223372036854775807",
          "-9223372036854775808",
          "9223372036854775808",
          "1e308",
          "-1e308",
          "4.9e-324",
          "2147483648",
          "-2147483649",
          "1.0000000000000002",
          "123456789012345678901234567890.5");

  static final List<String> HOSTILE = BadValues.HOSTILE_STRINGS;

  static void leaves(JsonNode n, String path, List<String> out) {
    if (n.isObject()) {
      n.fieldNames().forEachRemaining(f -> leaves(n.get(f), path + "/" + f, out));
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        leaves(n.get(i), path + "/" + i, out);
      }
    } else {
      out.add(path);
    }
  }

  static String with(JsonNode doc, String pointer, JsonNode value) {
    JsonNode copy = doc.deepCopy();
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = copy.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent.isArray()) {
      ((ArrayNode) parent).set(Integer.parseInt(last), value);
    } else {
      ((ObjectNode) parent).set(last, value);
    }
    return copy.toString();
  }

  static String kind(JsonNode n) {
    return BadValues.kind(n);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  List<Probe> probes() throws Exception {
    Random random = new Random(20261202L);
    List<Probe> out = new ArrayList<>();
    String metrics = "api/ingest/trials/" + TRIAL + "/metrics";
    JsonNode batch =
        JSON.readTree(
            "{\"trialId\":\""
                + TRIAL
                + "\",\"attempt\":1,\"points\":[{\"step\":3,\"epoch\":1,\"name\":\"train_loss\","
                + "\"value\":0.5,\"time\":1764000000000}]}");
    JsonNode summary =
        JSON.readTree(ProtocolJson.write(TestSummaries.succeeded(SUMMARY_TRIAL, 1, 0.8, 0.9)));
    String summaries = "api/ingest/trials/" + SUMMARY_TRIAL + "/summary";
    for (var target : List.of(Map.entry(batch, metrics), Map.entry(summary, summaries))) {
      JsonNode doc = target.getKey();
      String path = target.getValue();
      String token = bearer(path.split("/")[3]);
      List<String> leaves = new ArrayList<>();
      leaves(doc, "", leaves);
      for (String leaf : leaves) {
        JsonNode original = doc.at(leaf);
        for (Supplier<JsonNode> v : OTHER_KINDS) {
          JsonNode value = v.get();
          // NaN is how a number that is not one is written (a diverged trial's loss)
          boolean nan = original.isNumber() && value.asText().equals("NaN");
          String family = nan || kind(value).equals(kind(original)) ? "value" : "type";
          out.add(new Probe(family, "POST", path, with(doc, leaf, value), token));
        }
        if (original.isNumber()) {
          for (String x : EXTREMES) {
            out.add(new Probe("value", "POST", path, with(doc, leaf, JSON.readTree(x)), token));
          }
        }
        if (original.isTextual()) {
          for (String h : HOSTILE) {
            out.add(new Probe("hostile", "POST", path, with(doc, leaf, F.textNode(h)), token));
          }
        }
      }
      // unknown fields in every object, garbage, truncation, nesting
      ObjectNode unknown = doc.deepCopy();
      unknown.put("bogus", 1);
      out.add(new Probe("unknown-field", "POST", path, unknown.toString(), token));
      String text = doc.toString();
      for (int i = 0; i < 60; i++) {
        out.add(
            new Probe(
                "truncated",
                "POST",
                path,
                text.substring(0, random.nextInt(text.length() - 1)),
                token));
        char[] c = text.toCharArray();
        c[random.nextInt(c.length)] = "{}[]:,\"\\\u0000".charAt(random.nextInt(9));
        out.add(new Probe("flipped", "POST", path, new String(c), token));
      }
      for (String body :
          List.of(
              "", " ", "null", "[]", "42", "\"text\"", "{", "[".repeat(3000) + "]".repeat(3000))) {
        out.add(new Probe("root", "POST", path, body, token));
      }
    }
    ObjectNode manyUnknown = batch.deepCopy();
    ((ObjectNode) manyUnknown.at("/points/0")).put("unit", "nats");
    out.add(new Probe("unknown-field", "POST", metrics, manyUnknown.toString(), bearer(TRIAL)));
    for (int i = 0; i < 100; i++) {
      char[] garbage = new char[1 + random.nextInt(300)];
      for (int j = 0; j < garbage.length; j++) {
        garbage[j] = (char) random.nextInt(0x3000);
      }
      out.add(new Probe("garbage", "POST", metrics, new String(garbage), bearer(TRIAL)));
    }
    // tokens: missing, malformed, forged, another trial's
    String good = tokens.token(TrialId.parse(TRIAL).attempt(1));
    List<String> badTokens =
        new ArrayList<>(
            List.of(
                "",
                "Bearer",
                "Bearer ",
                "Basic " + good,
                "bearer " + good,
                "Bearer " + good.substring(0, good.length() - 1),
                "Bearer " + good + "=",
                "Bearer 2" + good.substring(1),
                bearer(UID + "-7"),
                "Bearer " + "A".repeat(10_000)));
    for (int i = 0; i < 140; i++) {
      byte[] b = new byte[random.nextInt(64)];
      random.nextBytes(b);
      badTokens.add("Bearer " + java.util.Base64.getUrlEncoder().encodeToString(b));
    }
    for (String t : badTokens) {
      out.add(new Probe("token", "POST", metrics, batch.toString(), t.isEmpty() ? null : t));
    }
    // trial ids in the path: hostile, another trial's path with this trial's token
    for (String id :
        List.of(UID + "-1", UID + "-999999999", UID, "-0", UID + "--1", "x", UID + "-0.5")) {
      out.add(
          new Probe(
              "trial-id",
              "POST",
              "api/ingest/trials/" + enc(id) + "/metrics",
              batch.toString(),
              bearer(TRIAL)));
    }
    for (String h : HOSTILE) {
      out.add(
          new Probe(
              "trial-id",
              "POST",
              "api/ingest/trials/" + enc(h) + "/metrics",
              batch.toString(),
              bearer(TRIAL)));
    }
    // the read API: hostile uids, indices and parameters
    List<String> endpoints =
        List.of(
            "",
            "/events",
            "/trials",
            "/trials/0",
            "/trials/0/curves",
            "/cells",
            "/cells/0/curves",
            "/cells/0/kernel",
            "/paper-table");
    for (String h : HOSTILE) {
      for (String e : endpoints) {
        out.add(new Probe("read-uid", "GET", "api/sweeps/" + enc(h) + e, null, null));
      }
    }
    for (String index :
        List.of("abc", "-1", "99999999999", "1e3", "0x10", "%20", "1.5", enc("<b>"))) {
      for (String e :
          List.of("/trials/%s", "/trials/%s/curves", "/cells/%s/curves", "/cells/%s/kernel")) {
        out.add(
            new Probe("read-index", "GET", "api/sweeps/" + UID + e.formatted(index), null, null));
      }
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    params.put("limit", List.of("ten", "-1", "99999999999", "1.5", "", "0x10"));
    params.put("offset", List.of("ten", "-1", "99999999999", "1.5"));
    params.put("desc", List.of("maybe", "2", "yes please"));
    params.put("sort", List.of("'; DROP TABLE trials; --", "objective desc", "nope", "<b>"));
    params.put("state", List.of("Sleeping", "'; --", "running!"));
    params.put("method", List.of("'; --", "<script>", "nope"));
    for (var e : params.entrySet()) {
      for (String value : e.getValue()) {
        out.add(
            new Probe(
                "read-param:" + e.getKey(),
                "GET",
                "api/sweeps/" + UID + "/trials?" + e.getKey() + "=" + enc(value),
                null,
                null));
      }
    }
    for (String value : params.get("limit")) {
      out.add(new Probe("read-param:limit", "GET", "api/sweeps?limit=" + enc(value), null, null));
      out.add(
          new Probe(
              "read-param:limit",
              "GET",
              "api/sweeps/" + UID + "/events?limit=" + enc(value),
              null,
              null));
    }
    return out;
  }

  @Test
  void everyMalformedRequestIsA4xxNamingItsFieldAndNothingOfItIsWritten() throws Exception {
    if (store.sweep(UID).isEmpty()) {
      Fixtures.runningSweep(store, UID, "local", "bad-requests", "pid:1", "pid:2");
    }
    long before = store.trials(UID).get(0).pointCount();
    List<Probe> probes = probes();
    assertThat(probes.size()).as("requests generated").isGreaterThanOrEqualTo(1000);
    List<String> wrong = new ArrayList<>();
    Map<String, int[]> byStatus = new java.util.TreeMap<>();
    long inserted = 0;
    List<String> acceptedNames = new ArrayList<>();
    int closed = 0;
    int reconnected = 0;
    for (Probe p : probes) {
      Answer a;
      try {
        a = send(p);
      } catch (java.io.IOException first) {
        // a kept-alive connection the server closed after the previous request fails the next
        // one: the same request once more, on a new connection, tells which it was
        try {
          a = sendAlone(p);
          reconnected++;
        } catch (java.io.IOException e) {
          // the HTTP layer closes a connection whose request line or headers exceed its limits
          // (4 KiB, 8 KiB) before the application sees it: refused, with nothing written
          if (p.path().length() > 4_000 || (p.token() != null && p.token().length() > 8_000)) {
            closed++;
            continue;
          }
          wrong.add(p.family() + " " + cut(p.path()) + ": " + e);
          continue;
        }
      }
      byStatus.computeIfAbsent(p.family() + " " + a.status(), k -> new int[1])[0]++;
      String where = p.family() + " " + p.method() + " " + cut(p.path()) + " " + cut(p.body());
      if (a.status() >= 500) {
        wrong.add(where + ": " + a.status() + " " + cut(a.body()));
        continue;
      }
      if (a.status() == 200) {
        // a changed value of the field's kind, a hostile string, or a character flipped inside a
        // string may all make a valid request; nothing else may
        if (!(p.family().equals("value")
            || p.family().equals("hostile")
            || p.family().equals("flipped"))) {
          wrong.add(where + ": accepted");
        } else if (p.path().endsWith("/metrics")) {
          inserted += JSON.readTree(a.body()).path("inserted").asLong();
          JsonNode name = JSON.readTree(p.body()).at("/points/0/name");
          if (name.isTextual()) {
            acceptedNames.add(name.asText());
          }
        }
        continue;
      }
      if (a.status() < 400) {
        wrong.add(where + ": " + a.status());
        continue;
      }
      if (a.status() == 400 || a.status() == 401 || a.status() == 403 || a.status() == 409) {
        JsonNode problems = a.body().isBlank() ? null : JSON.readTree(a.body()).path("problems");
        if (problems == null
            || !problems.isArray()
            || problems.isEmpty()
            || problems.get(0).path("field").asText().isBlank()
            || problems.get(0).path("message").asText().isBlank()) {
          wrong.add(where + ": " + a.status() + " without a field named: " + cut(a.body()));
        } else if (p.family().startsWith("read-param:")
            && a.status() == 400
            && !problems.get(0).path("field").asText().equals(p.family().substring(11))) {
          wrong.add(where + ": names " + problems.get(0).path("field").asText());
        }
      }
    }
    StringBuilder report =
        new StringBuilder(
            "bad requests: "
                + probes.size()
                + " sent, "
                + closed
                + " closed by the HTTP layer, "
                + reconnected
                + " sent again on a new connection\n");
    byStatus.forEach(
        (k, v) -> report.append("  ").append(k).append(": ").append(v[0]).append('\n'));
    System.out.println(report);
    assertThat(wrong)
        .as(
            "%d of %d requests answered wrongly, e.g. %s",
            wrong.size(), probes.size(), wrong.stream().limit(30).toList())
        .isEmpty();
    assertThat(store.trials(UID).get(0).pointCount())
        .as("exactly the points of the accepted batches were written")
        .isEqualTo(before + inserted);
    // markup and SQL in an accepted metric name come back verbatim, as data
    for (String name : acceptedNames) {
      Answer curves =
          send(
              new Probe(
                  "read",
                  "GET",
                  "api/sweeps/" + UID + "/trials/0/curves?name=" + enc(name),
                  null,
                  null));
      assertThat(curves.status()).as(name).isEqualTo(200);
      List<String> names = new ArrayList<>();
      JSON.readTree(curves.body()).forEach(c -> names.add(c.path("name").asText()));
      assertThat(names).as("the stored name, as given").contains(name);
    }
    assertThat(acceptedNames)
        .contains("<script>alert(1)</script>", "'; DROP TABLE metric_points; --");
    // and the application serves on
    assertThat(send(new Probe("live", "GET", "q/health/live", null, null)).status()).isEqualTo(200);
    Answer ok =
        send(
            new Probe(
                "valid",
                "POST",
                "api/ingest/trials/" + TRIAL + "/metrics",
                "{\"trialId\":\""
                    + TRIAL
                    + "\",\"attempt\":1,\"points\":[{\"step\":99,\"epoch\":1,"
                    + "\"name\":\"train_loss\",\"value\":0.25,\"time\":1764000000000}]}",
                bearer(TRIAL)));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
  }

  static String cut(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 120 ? s.substring(0, 120) + "..." : s;
  }
}
