package dev.dkssweep.operator.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Fabric8's CRUD dispatcher with the two things the packaged application (prod profile) asks of an
 * API server that the mock server does not answer:
 *
 * <ul>
 *   <li>A server-side apply patch, which the mock answers with 415, is merged into the object as a
 *       JSON merge patch (RFC 7386) would be. The framework patches status and finalizers with
 *       server-side apply; for those patches the two agree, since each sends the whole of the
 *       fields it manages and the operator is their only manager. Where they differ (field
 *       ownership, the removal of a field a manager stops sending) only a real API server can tell:
 *       the e2e suite runs there.
 *   <li>A {@code SelfSubjectRulesReview}, with which leader election checks its access to Leases
 *       before it starts, is answered with the Lease rule the chart's Role grants (get, create,
 *       update), as an API server with that Role bound would answer it.
 * </ul>
 */
final class ProdProfileDispatcher extends KubernetesCrudDispatcher {

  private static final String RULES_REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private final ObjectMapper json = new ObjectMapper();

  @Override
  public synchronized MockResponse handlePatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.startsWith("application/apply-patch")) {
      return super.handlePatch(request);
    }
    // The mock's own merge patch appends to lists instead of replacing them (RFC 7386 replaces),
    // so the apply is merged here and stored as an update of the current object.
    String path = request.getPath();
    String query = path.contains("?") ? path.substring(path.indexOf('?')) : "";
    String resource = path.substring(0, path.length() - query.length());
    String object =
        resource.endsWith("/status") ? resource.substring(0, resource.length() - 7) : resource;
    MockResponse current = handleGet(object);
    if (current.code() != 200) {
      return current;
    }
    try {
      JsonNode merged =
          merge(json.readTree(current.getBody().readUtf8()), json.readTree(request.getUtf8Body()));
      RecordedRequest update =
          new RecordedRequest(
              request.getHttpVersion(),
              HttpMethod.PUT,
              resource,
              request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
              new Buffer(json.writeValueAsBytes(merged)));
      MockResponse stored = handleUpdate(update);
      return stored.code() == 201 ? stored.setResponseCode(200) : stored;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RFC 7386: objects merge member by member, null removes, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result =
        target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    patch
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNull()) {
                result.remove(e.getKey());
              } else {
                result.set(e.getKey(), merge(result.path(e.getKey()), e.getValue()));
              }
            });
    return result;
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    if (!request.getPath().startsWith(RULES_REVIEWS)) {
      return super.handleCreate(request);
    }
    try {
      ObjectNode review = (ObjectNode) json.readTree(request.getUtf8Body());
      ObjectNode status = review.putObject("status");
      status.put("incomplete", false);
      status.putArray("nonResourceRules");
      ObjectNode rule = status.putArray("resourceRules").addObject();
      rule.putArray("apiGroups").add("coordination.k8s.io");
      rule.putArray("resources").add("leases");
      rule.putArray("verbs").add("get").add("create").add("update");
      return new MockResponse().setResponseCode(201).setBody(json.writeValueAsString(review));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
