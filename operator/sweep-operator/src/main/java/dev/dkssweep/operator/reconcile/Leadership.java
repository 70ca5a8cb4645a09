package dev.dkssweep.operator.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Whether this replica holds the operator's Lease, as the leader election's callbacks say: what the
 * readiness check reports (a standby is ready: it serves the dashboard and ingest while the leader
 * reconciles).
 */
@ApplicationScoped
public class Leadership {

  private static final Logger LOG = Logger.getLogger(Leadership.class.getName());

  private volatile boolean leading;
  private volatile String leader;

  void startedLeading() {
    leading = true;
    LOG.info("this replica leads: it reconciles Sweeps");
  }

  void stoppedLeading() {
    leading = false;
  }

  void newLeader(String identity) {
    leader = identity;
    if (!leading) {
      LOG.info("standing by; the Sweeps' leader is " + identity);
    }
  }

  /** True while this replica holds the Lease. */
  public boolean leading() {
    return leading;
  }

  /** The identity of the Lease's holder, once known. */
  public Optional<String> leader() {
    return Optional.ofNullable(leader);
  }
}
