package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Leader election through a Lease (in the prod profile, where the framework activates it): of the
 * operator's replicas only the holder reconciles Sweeps; every replica serves the dashboard and the
 * ingest API. The lease lives in the operator's namespace ({@code dks.operator.lease-namespace},
 * the chart's POD_NAMESPACE); each replica is named by its pod (HOSTNAME) unless {@code
 * dks.operator.identity} says otherwise. The framework's default timings; a replica that loses the
 * lease exits (through {@link Leadership}, which follows who leads) and is restarted as a standby.
 */
@Singleton
public class LeaderLease extends LeaderElectionConfiguration {

  public LeaderLease(OperatorConfig config, Leadership leadership) {
    super(
        config.operator().leaseName(),
        config.operator().leaseNamespace().orElse(null),
        LEASE_DURATION_DEFAULT_VALUE,
        RENEW_DEADLINE_DEFAULT_VALUE,
        RETRY_PERIOD_DEFAULT_VALUE,
        config.operator().identity().orElse(null),
        new LeaderCallbacks(
            leadership::startedLeading, leadership::stoppedLeading, leadership::newLeader),
        false);
  }
}
