package dev.dkssweep.trainer.report;

import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Delivers metric points and the final summary without ever blocking training or losing a point.
 *
 * <p>The training thread only enqueues. With an endpoint, a daemon thread POSTs batches to {@code
 * <endpoint>/trials/<trialId>/metrics} (bearer token), retrying with exponential backoff; whatever
 * is still undelivered at {@link #close} is printed on stdout as JSON lines and counted in the
 * summary. Without an endpoint, every batch goes to stdout as a JSON line.
 *
 * <p>stdout lines: {@code {"kind":"metrics","batch":{...}}} and {@code
 * {"kind":"summary","summary":{...}}}.
 */
public final class MetricReporter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(MetricReporter.class.getName());
  private static final int BATCH = 256;

  private final String trialId;
  private final int attempt;
  private final URI endpoint;
  private final String token;
  private final PrintStream out;
  private final HttpClient http;
  private final LinkedBlockingQueue<MetricPoint> queue = new LinkedBlockingQueue<>();
  private final List<MetricPoint> pending = new ArrayList<>();
  private final Thread sender;
  private final int maxAttempts;
  private final long initialBackoffMillis;
  private volatile boolean closing;
  private int unsent;

  /**
   * @param endpoint base URL, or null for stdout only
   */
  public MetricReporter(
      String trialId,
      int attempt,
      String endpoint,
      String token,
      PrintStream out,
      int maxAttempts,
      long initialBackoffMillis) {
    this.trialId = trialId;
    this.attempt = attempt;
    this.endpoint = endpoint == null ? null : URI.create(endpoint.replaceAll("/+$", ""));
    this.token = token;
    this.out = out;
    this.maxAttempts = maxAttempts;
    this.initialBackoffMillis = initialBackoffMillis;
    this.http =
        this.endpoint == null
            ? null
            : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.sender = this.endpoint == null ? null : new Thread(this::sendLoop, "metric-sender");
    if (sender != null) {
      sender.setDaemon(true);
      sender.start();
    }
  }

  /** Never blocks. */
  public void report(MetricPoint point) {
    if (endpoint == null) {
      synchronized (pending) {
        pending.add(point);
        if (pending.size() >= BATCH) {
          printBatch(new ArrayList<>(pending));
          pending.clear();
        }
      }
    } else {
      queue.add(point);
    }
  }

  public void report(long step, int epoch, Map<String, Double> values) {
    long now = System.currentTimeMillis();
    values.forEach(
        (name, value) -> {
          if (Double.isFinite(value)) {
            report(new MetricPoint(step, epoch, name, value, now));
          }
        });
  }

  private void sendLoop() {
    List<MetricPoint> batch = new ArrayList<>();
    while (!(closing && queue.isEmpty())) {
      try {
        MetricPoint first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        if (!post("metrics", ProtocolJson.write(new MetricBatch(trialId, attempt, batch)))) {
          synchronized (pending) {
            pending.addAll(batch);
          }
        }
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** POST with retries and exponential backoff; true when the endpoint accepted it. */
  private boolean post(String what, String json) throws InterruptedException {
    long backoff = initialBackoffMillis;
    for (int i = 1; i <= maxAttempts; i++) {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(
                    endpoint.resolve(endpoint.getPath() + "/trials/" + trialId + "/" + what))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
          request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return true;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
          LOG.warning(what + " rejected with " + status + ": " + response.body());
          return false;
        }
        LOG.warning(what + " attempt " + i + " got " + status + "; retrying");
      } catch (java.io.IOException e) {
        LOG.warning(what + " attempt " + i + " failed: " + e);
      }
      if (i < maxAttempts && !closing) {
        Thread.sleep(backoff);
        backoff *= 2;
      }
    }
    return false;
  }

  /**
   * Delivers or prints what is left (waiting at most {@code waitMillis} for the sender) and returns
   * the number of points that did not reach the endpoint.
   */
  public int drain(long waitMillis) {
    closing = true;
    if (sender != null) {
      try {
        sender.join(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      queue.drainTo(pending);
    }
    synchronized (pending) {
      if (!pending.isEmpty()) {
        if (endpoint != null) {
          unsent += pending.size();
        }
        printBatch(new ArrayList<>(pending));
        pending.clear();
      }
    }
    return unsent;
  }

  /** Posts the summary (if there is an endpoint) and prints it on stdout. */
  public void summary(TrialSummary summary) {
    if (endpoint != null) {
      try {
        post("summary", ProtocolJson.write(summary));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    out.println("{\"kind\":\"summary\",\"summary\":" + ProtocolJson.write(summary) + "}");
    out.flush();
  }

  private void printBatch(List<MetricPoint> points) {
    out.println(
        "{\"kind\":\"metrics\",\"batch\":"
            + ProtocolJson.write(new MetricBatch(trialId, attempt, points))
            + "}");
    out.flush();
  }

  @Override
  public void close() {
    drain(10_000);
  }
}
