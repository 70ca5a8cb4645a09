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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Delivers metric points and the final summary without ever blocking training or losing a point.
 *
 * <p>The training thread only enqueues. With an endpoint, a daemon thread POSTs batches to {@code
 * <endpoint>/trials/<trialId>/metrics} (bearer token), retrying with exponential backoff; a batch
 * the endpoint cannot take now (no answer, 5xx, 408, 429) is kept, with everything behind it, and
 * sent again for as long as the trainer runs, so an outage of the operator or its database loses
 * nothing; only a batch refused for good (another 4xx) is set aside. Whatever is still undelivered
 * when the drain gives up is printed on stdout as JSON lines (local mode's runner records them from
 * there) and counted in the summary. Without an endpoint, every batch goes to stdout as a JSON
 * line.
 *
 * <p>stdout lines: {@code {"kind":"metrics","batch":{...}}} and {@code
 * {"kind":"summary","summary":{...}}}.
 */
public final class MetricReporter implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(MetricReporter.class.getName());
  private static final int BATCH = 256;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  /** How long the end of training waits for the endpoint to take the last points. */
  public static final long DRAIN_MILLIS = 60_000;

  /** The same, once the trainer has been told to stop. */
  public static final long HURRIED_DRAIN_MILLIS = 3_000;

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
  private volatile boolean abandoned;
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
    long backoff = initialBackoffMillis;
    int failures = 0;
    try {
      while (!abandoned) {
        if (batch.isEmpty()) {
          if (closing && queue.isEmpty()) {
            return;
          }
          MetricPoint first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
        }
        Delivery d = post("metrics", ProtocolJson.write(new MetricBatch(trialId, attempt, batch)));
        if (d == Delivery.UNAVAILABLE) {
          // keep the batch (and everything queued behind it) and try again, for as long as the
          // trainer runs: an outage of the endpoint or its database loses nothing (said after
          // maxAttempts tries, then each time their number doubles)
          failures++;
          if (failures % maxAttempts == 0 && Integer.bitCount(failures / maxAttempts) == 1) {
            LOG.warning(
                "the endpoint has not taken a batch for "
                    + failures
                    + " tries; keeping "
                    + (batch.size() + queue.size())
                    + " points and retrying");
          }
          pause(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
          continue;
        }
        if (d == Delivery.REFUSED) {
          synchronized (pending) {
            pending.addAll(batch);
          }
        }
        batch.clear();
        backoff = initialBackoffMillis;
        failures = 0;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      synchronized (pending) {
        pending.addAll(batch); // the batch in flight when the drain gave up: printed, not lost
      }
    }
  }

  /** What became of a POST. */
  private enum Delivery {
    DELIVERED,
    /** A 4xx other than 408 and 429: sending it again would not help. */
    REFUSED,
    /** No answer, 5xx, 408 or 429, after every try: worth sending again later. */
    UNAVAILABLE
  }

  /** POST with retries and exponential backoff. */
  private Delivery post(String what, String json) throws InterruptedException {
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
          return Delivery.DELIVERED;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
          LOG.warning(what + " rejected with " + status + ": " + response.body());
          return Delivery.REFUSED;
        }
        LOG.fine(what + " attempt " + i + " got " + status + "; retrying");
      } catch (java.io.IOException e) {
        LOG.fine(what + " attempt " + i + " failed: " + e);
      }
      if (i < maxAttempts && !abandoned) {
        pause(backoff);
        backoff *= 2;
      }
    }
    return Delivery.UNAVAILABLE;
  }

  /** Sleeps, in short slices so that an abandoned drain ends it. */
  private void pause(long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (!abandoned && System.nanoTime() < end) {
      Thread.sleep(Math.max(1, Math.min(50, (end - System.nanoTime()) / 1_000_000)));
    }
  }

  /**
   * At the end of training: waits up to {@link #DRAIN_MILLIS} for the endpoint to take what is left
   * (long enough to ride out a database restart), but no more than {@link #HURRIED_DRAIN_MILLIS}
   * once {@code stop} is set (SIGTERM, the parent gone: the process must end soon); then prints and
   * counts what is still undelivered.
   */
  public int drain(AtomicBoolean stop) {
    closing = true;
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
    boolean hurried = false;
    while (sender != null && sender.isAlive() && System.nanoTime() < deadline) {
      if (!hurried && stop.get()) {
        hurried = true;
        deadline = Math.min(deadline, System.nanoTime() + HURRIED_DRAIN_MILLIS * 1_000_000);
      }
      try {
        sender.join(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return drain(0);
  }

  /**
   * Delivers or prints what is left (waiting at most {@code waitMillis} for the sender) and returns
   * the number of points that did not reach the endpoint.
   */
  public int drain(long waitMillis) {
    closing = true;
    if (sender != null) {
      try {
        sender.join(Math.max(1, waitMillis));
        if (sender.isAlive()) {
          abandoned = true;
          sender.join(16_000); // a request in flight ends within its timeouts
        }
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
        abandoned = false; // the summary is tried even when the points' drain gave up
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
