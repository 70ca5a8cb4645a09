package dev.dkssweep.dashboard.api;

import dev.dkssweep.dashboard.query.DashboardQueries;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Live updates by server-sent events: one poller per application (not per client) reads a cheap
 * change marker every 2 s and broadcasts a {@code change} event to every open page when it moved,
 * so a hundred open dashboards cost one query per 2 s, not a polling storm.
 */
@Path("/api/live")
@ApplicationScoped
public class LiveResource {

  private static final Logger LOG = Logger.getLogger(LiveResource.class.getName());
  public static final long PERIOD_MILLIS = 2_000;

  private final DashboardQueries queries;

  private SseBroadcaster broadcaster;
  private Sse sse;
  private ScheduledExecutorService poller;
  private String lastMarker;

  @Inject
  public LiveResource(DashboardQueries queries) {
    this.queries = queries;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void subscribe(@Context SseEventSink sink, @Context Sse sse) {
    start(sse);
    broadcaster.register(sink);
    sink.send(sse.newEventBuilder().name("hello").data(String.valueOf(lastMarker)).build());
  }

  private synchronized void start(Sse sse) {
    if (poller != null) {
      return;
    }
    this.sse = sse;
    this.broadcaster = sse.newBroadcaster();
    this.lastMarker = marker();
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dashboard-live");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(this::poll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      String now = marker();
      if (!now.equals(lastMarker)) {
        lastMarker = now;
        broadcaster.broadcast(sse.newEventBuilder().name("change").data(now).build());
      }
    } catch (RuntimeException e) {
      LOG.fine("live poll failed: " + e.getMessage());
    }
  }

  private String marker() {
    return queries.changeMarker();
  }

  @PreDestroy
  synchronized void stop() {
    if (poller != null) {
      poller.shutdownNow();
      broadcaster.close();
    }
  }
}
