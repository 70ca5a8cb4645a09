package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.config.OperatorConfig;
import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Sweep reconciler (the database has its own check, from the datasource): the
 * leader is ready once its informers run; a standby replica is ready at once, since it serves the
 * dashboard and the ingest API while the leader reconciles (the framework's own check, which wants
 * every replica's informers running, is switched off in application.properties). Local mode's
 * commands run no reconciler and are ready.
 */
@Readiness
@ApplicationScoped
public class SweepReadiness implements HealthCheck {

  static final String NAME = "Sweep reconciler";

  private final Operator operator;
  private final OperatorConfig config;
  private final Leadership leadership;

  public SweepReadiness(Operator operator, OperatorConfig config, Leadership leadership) {
    this.operator = operator;
    this.config = config;
    this.leadership = leadership;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder r = HealthCheckResponse.named(NAME);
    if (!config.operator().enabled()) {
      return r.up().withData("role", "none (local mode)").build();
    }
    boolean elected =
        operator.getConfigurationService().getLeaderElectionConfiguration().isPresent();
    if (elected && !leadership.leading()) {
      return r.up()
          .withData("role", "standby")
          .withData("leader", leadership.leader().orElse("unknown"))
          .build();
    }
    r.withData("role", elected ? "leader" : "single");
    if (!operator.getRuntimeInfo().isStarted()) {
      return r.down().withData("reason", "starting").build();
    }
    Map<String, ?> unhealthy = operator.getRuntimeInfo().unhealthyEventSources();
    boolean ok = unhealthy.values().stream().allMatch(m -> ((Map<?, ?>) m).isEmpty());
    if (!ok) {
      r.withData("unhealthy", unhealthy.toString());
    }
    return r.status(ok).build();
  }
}
