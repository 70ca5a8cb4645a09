package dev.dkssweep.trainer.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback that fails on purpose. */
class MetricReporterTest {

  private HttpServer server;
  private final List<MetricPoint> received = new CopyOnWriteArrayList<>();
  private final List<Long> refusedSteps = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private volatile long outageUntil = Long.MIN_VALUE;
  private volatile boolean refuse;

  private String start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/trials/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
          int status = 202;
          requests.incrementAndGet();
          if (refuse) {
            status = 400;
            if (exchange.getRequestURI().getPath().endsWith("/metrics")) {
              ProtocolJson.read(body, MetricBatch.class).points().stream()
                  .map(MetricPoint::step)
                  .forEach(refusedSteps::add);
            }
          } else if (System.nanoTime() < outageUntil || failuresLeft.getAndDecrement() > 0) {
            status = 503;
          } else if (exchange.getRequestURI().getPath().endsWith("/metrics")) {
            received.addAll(ProtocolJson.read(body, MetricBatch.class).points());
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void retriesWithBackoffAndDeliversEveryPoint() throws Exception {
    failuresLeft.set(2);
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    MetricReporter r =
        new MetricReporter("sweep-1", 1, start(), "s3cret", new PrintStream(stdout), 5, 10);
    for (int i = 0; i < 1000; i++) {
      r.report(new MetricPoint(i, 0, "train_loss", 1.0 / (i + 1), 0));
    }
    assertThat(r.drain(10_000)).isZero();
    assertThat(received).hasSize(1000);
    assertThat(received).extracting(MetricPoint::step).doesNotHaveDuplicates();
    assertThat(auth).allMatch("Bearer s3cret"::equals);
    assertThat(stdout.toString(StandardCharsets.UTF_8)).doesNotContain("\"kind\":\"metrics\"");
  }

  @Test
  void anUnreachableEndpointLosesNothing() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    // port 9 on loopback: nothing listens, connections are refused at once
    MetricReporter r =
        new MetricReporter("sweep-1", 2, "http://127.0.0.1:9", null, new PrintStream(stdout), 2, 1);
    for (int i = 0; i < 10; i++) {
      r.report(new MetricPoint(i, 0, "train_loss", i, 0));
    }
    assertThat(r.drain(300)).isEqualTo(10);
    String out = stdout.toString(StandardCharsets.UTF_8);
    long printed =
        out.lines()
            .filter(l -> l.startsWith("{\"kind\":\"metrics\""))
            .mapToLong(l -> l.split("\"name\"").length - 1)
            .sum();
    assertThat(printed).isEqualTo(10);
  }

  @Test
  void anOutageLongerThanTheRetriesIsRiddenOutWithNothingLost() throws Exception {
    String endpoint = start();
    // 503 for two seconds: far beyond 2 tries 10 ms apart, which is where the reporter used to
    // give a batch up (to stdout, which nobody reads in a cluster)
    outageUntil = System.nanoTime() + 2_000_000_000L;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    MetricReporter r =
        new MetricReporter("sweep-1", 1, endpoint, "s3cret", new PrintStream(stdout), 2, 10);
    for (int i = 0; i < 600; i++) {
      r.report(new MetricPoint(i, 0, "train_loss", 1.0 / (i + 1), 0));
      if (i % 100 == 0) {
        Thread.sleep(200);
      }
    }
    assertThat(r.drain(new java.util.concurrent.atomic.AtomicBoolean())).isZero();
    assertThat(System.nanoTime()).as("the outage is over").isGreaterThan(outageUntil);
    assertThat(received).extracting(MetricPoint::step).hasSize(600).doesNotHaveDuplicates();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).doesNotContain("\"kind\":\"metrics\"");
  }

  @Test
  void aBatchRefusedForGoodIsPrintedNotRetried() throws Exception {
    String endpoint = start();
    refuse = true;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    MetricReporter r =
        new MetricReporter("sweep-1", 1, endpoint, "s3cret", new PrintStream(stdout), 5, 10);
    for (int i = 0; i < 10; i++) {
      r.report(new MetricPoint(i, 0, "train_loss", i, 0));
    }
    long t0 = System.nanoTime();
    assertThat(r.drain(new java.util.concurrent.atomic.AtomicBoolean())).isEqualTo(10);
    assertThat((System.nanoTime() - t0) / 1e9).as("seconds to drain").isLessThan(5);
    // the sender may split the ten points into several batches (it starts posting as soon as the
    // first is queued), but each point is POSTed exactly once: a 400 is not retried
    assertThat(refusedSteps)
        .as("steps POSTed, each once")
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(requests.get()).as("POSTs, one per batch").isBetween(1, 10);
    long printed =
        stdout
            .toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> l.startsWith("{\"kind\":\"metrics\""))
            .mapToLong(l -> l.split("\"name\"").length - 1)
            .sum();
    assertThat(printed).as("points printed for the runner, each once").isEqualTo(10);
  }

  @Test
  void aStoppedTrainerDrainsInAFewSeconds() throws Exception {
    String endpoint = start();
    outageUntil = Long.MAX_VALUE;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    MetricReporter r =
        new MetricReporter("sweep-1", 1, endpoint, "s3cret", new PrintStream(stdout), 2, 10);
    r.report(new MetricPoint(1, 0, "train_loss", 1, 0));
    long t0 = System.nanoTime();
    assertThat(r.drain(new java.util.concurrent.atomic.AtomicBoolean(true))).isEqualTo(1);
    assertThat((System.nanoTime() - t0) / 1e6)
        .as("milliseconds to drain")
        .isBetween(0.0, MetricReporter.HURRIED_DRAIN_MILLIS + 2_000.0);
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("\"kind\":\"metrics\"");
  }

  @Test
  void withoutEndpointEveryPointIsAJsonLineOnStdout() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    MetricReporter r = new MetricReporter("sweep-1", 1, null, null, new PrintStream(stdout), 1, 1);
    r.report(3, 1, java.util.Map.of("val_loss", 0.5, "bad", Double.NaN));
    assertThat(r.drain(100)).isZero();
    String line = stdout.toString(StandardCharsets.UTF_8).trim();
    assertThat(line).startsWith("{\"kind\":\"metrics\"").contains("val_loss").doesNotContain("bad");
  }
}
