package dev.dkssweep.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A replica of the operator as a cluster runs it: the packaged application ({@code
 * target/quarkus-app}, prod profile) in its own JVM, configured through the environment as the
 * chart's Deployment configures it. Its stdout and stderr (where the logs go) land in the work
 * directory as {@code <identity>.out} and {@code <identity>.err}.
 */
public final class OperatorReplica implements AutoCloseable {

  /** The packaged application (the package phase builds it before the integration tests). */
  public static final Path APP =
      Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();

  private final String identity;
  private final int port;
  private final Process process;
  private final Path err;

  private OperatorReplica(String identity, int port, Process process, Path err) {
    this.identity = identity;
    this.port = port;
    this.process = process;
    this.err = err;
  }

  /**
   * Starts replica {@code identity} serving HTTP on 127.0.0.1:{@code port}, with {@code env} added
   * to the environment (datasource, Kubernetes client, namespaces, ingest settings); {@code
   * KUBECONFIG} is passed on only when {@code env} names it.
   */
  public static OperatorReplica start(String identity, int port, Path work, Map<String, String> env)
      throws IOException {
    assertThat(APP).as("the packaged application").isRegularFile();
    List<String> command =
        List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", APP.toString());
    Path err = work.resolve(identity + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectOutput(work.resolve(identity + ".out").toFile())
            .redirectError(err.toFile());
    Map<String, String> e = pb.environment();
    e.remove("KUBECONFIG");
    e.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    e.put("DKS_OPERATOR_IDENTITY", identity);
    e.putAll(env);
    return new OperatorReplica(identity, port, pb.start(), err);
  }

  public String identity() {
    return identity;
  }

  public int port() {
    return port;
  }

  /** The replica's process id (for its CPU time). */
  public long pid() {
    return process.pid();
  }

  /** The replica's {@code /q/health/ready} body, which must come with 200. */
  public String readiness() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** What the replica has logged so far. */
  public String log() throws IOException {
    return Files.exists(err) ? Files.readString(err) : "";
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the replica as a node failure or an OOM kill would: SIGKILL, nothing released. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Stops the replica as Kubernetes stops a pod: SIGTERM, then SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly(); // a replica whose shutdown hangs must not outlive the suite
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A TCP port free at the time of asking. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
