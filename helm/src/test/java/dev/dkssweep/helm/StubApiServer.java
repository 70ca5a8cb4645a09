package dev.dkssweep.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The little of an API server that helm's {@code lookup} asks for when the chart is rendered: the
 * discovery of {@code v1} and GETs of Secrets, answered from the Secrets a test puts here (none: a
 * first install; the installed ones: an upgrade). helm-java renders with a Kubernetes client even
 * in {@code template}, so without a server that answers, every {@code lookup} fails the render. Its
 * kubeconfig is written to {@code KUBECONFIG} (the surefire configuration names the file).
 */
final class StubApiServer implements AutoCloseable {

  private final HttpServer server;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Map<String, Object>> secrets = new ConcurrentHashMap<>();

  StubApiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    String kubeconfig = System.getenv("KUBECONFIG");
    if (kubeconfig == null || kubeconfig.isBlank()) {
      throw new IllegalStateException("KUBECONFIG must name the file to write (see helm/pom.xml)");
    }
    Path file = Path.of(kubeconfig);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: stub, cluster: {server: "http://127.0.0.1:%d"}}]
        contexts: [{name: stub, context: {cluster: stub, user: stub}}]
        users: [{name: stub, user: {}}]
        current-context: stub
        """
            .formatted(server.getAddress().getPort()));
  }

  /** Makes Secret {@code namespace/name} with {@code data} (base64 values) exist. */
  void putSecret(String namespace, String name, Map<String, String> data) {
    secrets.put(
        namespace + "/" + name,
        Map.of(
            "apiVersion", "v1",
            "kind", "Secret",
            "metadata", Map.of("name", name, "namespace", namespace),
            "type", "Opaque",
            "data", data));
  }

  void clear() {
    secrets.clear();
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    Object body;
    int code = 200;
    if (path.equals("/api/v1")) {
      body =
          Map.of(
              "kind",
              "APIResourceList",
              "groupVersion",
              "v1",
              "resources",
              List.of(
                  Map.of(
                      "name", "secrets",
                      "singularName", "secret",
                      "namespaced", true,
                      "kind", "Secret",
                      "verbs", List.of("get", "list"))));
    } else if (path.matches("/api/v1/namespaces/[^/]+/secrets/[^/]+")) {
      String[] p = path.split("/");
      body = secrets.get(p[4] + "/" + p[6]);
      if (body == null) {
        code = 404;
        body =
            Map.of(
                "kind", "Status",
                "apiVersion", "v1",
                "status", "Failure",
                "reason", "NotFound",
                "code", 404,
                "message", "secrets \"" + p[6] + "\" not found");
      }
    } else {
      code = 404;
      body = Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "code", 404);
    }
    byte[] out = json.writeValueAsBytes(body);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(code, out.length);
    x.getResponseBody().write(out);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
