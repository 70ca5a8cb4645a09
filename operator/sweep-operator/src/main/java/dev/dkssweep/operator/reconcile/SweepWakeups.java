package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.operator.ingest.IngestListener;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Logger;

/**
 * Wakes a sweep's reconcile when the ingest endpoint has recorded something for it; does nothing
 * where no reconciler runs (local mode, a replica that is not the leader).
 */
@ApplicationScoped
public class SweepWakeups implements IngestListener {

  static final String BY_UID = "dkssweep.dev/by-uid";

  private static final Logger LOG = Logger.getLogger(SweepWakeups.class.getName());

  private volatile SimpleInboundEventSource<Sweep> source;
  private volatile IndexerResourceCache<Sweep> sweeps;

  /** Called once by the reconciler as it prepares its event sources. */
  void attach(SimpleInboundEventSource<Sweep> source, IndexerResourceCache<Sweep> sweeps) {
    this.source = source;
    this.sweeps = sweeps;
  }

  @Override
  public void recorded(String sweepUid) {
    SimpleInboundEventSource<Sweep> s = source;
    IndexerResourceCache<Sweep> c = sweeps;
    if (s == null || c == null) {
      return;
    }
    for (Sweep sweep : c.byIndex(BY_UID, sweepUid)) {
      try {
        s.propagateEvent(ResourceID.fromResource(sweep));
      } catch (RuntimeException e) {
        // not started (a standby replica, a stopping operator): the resync runs the round anyway;
        // the trainer's points are recorded, so its request must not fail for this
        LOG.fine("no wake-up for sweep " + sweepUid + ": " + e);
      }
    }
  }
}
