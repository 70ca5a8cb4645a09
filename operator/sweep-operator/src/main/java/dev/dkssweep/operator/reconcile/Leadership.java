package dev.dkssweep.operator.reconcile;

import io.quarkus.runtime.Quarkus;
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
  private volatile boolean shuttingDown;

  void startedLeading() {
    leading = true;
    LOG.info("this replica leads: it reconciles Sweeps");
  }

  /**
   * The lease is gone: on shutdown, as it should be; otherwise it was lost (renewal failed), and
   * this replica exits through the application's orderly shutdown, to come back as a standby. (The
   * framework's own exit on losing the lease calls System.exit from within the shutdown, which
   * hangs the JVM until it is killed.)
   */
  void stoppedLeading() {
    leading = false;
    if (!shuttingDown) {
      LOG.warning("this replica lost the lease: exiting, to come back as a standby");
      Quarkus.asyncExit(1);
    }
  }

  /** The application is stopping: the lease's release that follows is expected. */
  void shuttingDown() {
    shuttingDown = true;
  }

  void newLeader(String identity) {
    leader = identity;
    LOG.info("the Sweeps' leader is " + identity);
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
