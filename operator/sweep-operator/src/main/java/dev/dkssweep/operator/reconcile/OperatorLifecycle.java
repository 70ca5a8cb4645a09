package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.config.OperatorConfig;
import io.javaoperatorsdk.operator.Operator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;

/**
 * Starts the Sweep reconciler when the application serves a cluster ({@code dks.operator.enabled}),
 * and stops it on shutdown; local mode's commands run without it.
 */
@ApplicationScoped
public class OperatorLifecycle {

  private static final Logger LOG = Logger.getLogger(OperatorLifecycle.class.getName());

  private final Operator operator;
  private final OperatorConfig config;
  private final Leadership leadership;
  private volatile boolean started;

  public OperatorLifecycle(Operator operator, OperatorConfig config, Leadership leadership) {
    this.operator = operator;
    this.config = config;
    this.leadership = leadership;
  }

  void start(@Observes StartupEvent e) {
    if (config.operator().enabled()) {
      LOG.info("starting the Sweep reconciler");
      operator.start();
      started = true;
    }
  }

  void stop(@Observes ShutdownEvent e) {
    leadership.shuttingDown();
    if (started) {
      operator.stop(); // releases the lease, if this replica holds it
    }
  }
}
