package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.config.OperatorConfig;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Leader election through a Lease (in the prod profile, where the framework activates it): of the
 * operator's replicas only the holder reconciles Sweeps; every replica serves the dashboard and the
 * ingest API. The lease lives in the operator's namespace ({@code dks.operator.lease-namespace},
 * the chart's POD_NAMESPACE); each replica is named by its pod (HOSTNAME) unless {@code
 * dks.operator.identity} says otherwise.
 */
@Singleton
public class LeaderLease extends LeaderElectionConfiguration {

  public LeaderLease(OperatorConfig config) {
    super(
        config.operator().leaseName(),
        config.operator().leaseNamespace().orElse(null),
        config.operator().identity().orElse(null));
  }
}
