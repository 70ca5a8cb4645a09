package dev.dkssweep.dashboard.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * Every {@code dks.dashboard.*} setting, in one place: who may read the dashboard and where it
 * reads from. The application's {@code DashboardPolicy} reads the OpenID Connect part of it.
 */
@ConfigMapping(prefix = "dks.dashboard")
public interface DashboardConfig {

  /** A shared bearer token the page and the API ask for (DKS_DASHBOARD_TOKEN); none: open. */
  Optional<String> token();

  /** The namespaces whose sweeps are listed and readable; none: all. */
  Optional<List<String>> namespaces();

  /**
   * The host names a request may address the dashboard by ({@code Host} header, port aside); none:
   * any. Local mode sets the loopback names, so that a web page of another site that rebinds its
   * name to 127.0.0.1 cannot read the API.
   */
  Optional<List<String>> allowedHosts();

  /** The dashboard's own database user, read-only (a member of dks_reader). */
  Datasource datasource();

  /** OpenID Connect sign-in instead of the shared token. */
  Oidc oidc();

  interface Datasource {
    Optional<String> jdbcUrl();

    Optional<String> username();

    Optional<String> password();
  }

  interface Oidc {
    /** Every request needs an identity from the configured provider. */
    @WithDefault("false")
    boolean enabled();

    /** Only identities with one of these roles get in; none: every identity. */
    Optional<List<String>> roles();
  }
}
