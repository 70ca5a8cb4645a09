package dev.dkssweep.operator.web;

import dev.dkssweep.dashboard.api.DashboardAccess;
import dev.dkssweep.dashboard.api.DashboardConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OpenID Connect protection of the dashboard (its page and its read API), the {@code dks-dashboard}
 * HTTP policy of application.properties. Off unless {@code dks.dashboard.oidc.enabled} is true;
 * then every request needs an identity from the configured provider: a bearer access token (API
 * clients) or the session of a login through the provider (browsers: Quarkus OIDC in {@code hybrid}
 * mode redirects them). {@code dks.dashboard.oidc.roles}, when set, admits only identities with one
 * of these roles. The trainers' ingest API and the health endpoints are outside this policy: they
 * keep their own per-trial tokens.
 *
 * <p>The simpler shared-token protection ({@code dks.dashboard.token}) is the other choice; both at
 * once is a configuration error, reported at startup.
 */
@ApplicationScoped
@Startup
public class DashboardPolicy implements HttpSecurityPolicy {

  public static final String NAME = "dks-dashboard";

  private final boolean enabled;
  private final Optional<List<String>> roles;
  private final DashboardAccess access;
  private final boolean tenantEnabled;
  private final Optional<String> authServer;

  /**
   * @param tenantEnabled the OIDC extension's own switch (quarkus.oidc.tenant-enabled)
   * @param authServer the provider (quarkus.oidc.auth-server-url)
   */
  @Inject
  public DashboardPolicy(
      DashboardConfig config,
      DashboardAccess access,
      @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true")
          boolean tenantEnabled,
      @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServer) {
    this.enabled = config.oidc().enabled();
    this.roles = config.oidc().roles();
    this.access = access;
    this.tenantEnabled = tenantEnabled;
    this.authServer = authServer;
  }

  @PostConstruct
  void check() {
    if (!enabled) {
      return;
    }
    if (access.token().isPresent()) {
      throw new IllegalStateException(
          "dks.dashboard.oidc.enabled=true and dks.dashboard.token are both set: protect the"
              + " dashboard with one of them (unset DKS_DASHBOARD_TOKEN, or set"
              + " DKS_DASHBOARD_OIDC_ENABLED=false)");
    }
    if (!tenantEnabled || authServer.filter(s -> !s.isBlank()).isEmpty()) {
      throw new IllegalStateException(
          "dks.dashboard.oidc.enabled=true needs the provider: set quarkus.oidc.tenant-enabled=true"
              + " and quarkus.oidc.auth-server-url (QUARKUS_OIDC_TENANT_ENABLED,"
              + " QUARKUS_OIDC_AUTH_SERVER_URL), quarkus.oidc.client-id and, for browser logins,"
              + " quarkus.oidc.credentials.secret");
    }
  }

  @Override
  public Uni<CheckResult> checkPermission(
      RoutingContext request,
      Uni<SecurityIdentity> identity,
      AuthorizationRequestContext requestContext) {
    if (!enabled) {
      return CheckResult.permit();
    }
    return identity.map(this::admits);
  }

  private CheckResult admits(SecurityIdentity id) {
    if (id == null || id.isAnonymous()) {
      return CheckResult.DENY;
    }
    List<String> required = roles.orElse(List.of());
    return required.isEmpty() || required.stream().anyMatch(id::hasRole)
        ? CheckResult.PERMIT
        : CheckResult.DENY;
  }

  @Override
  public String name() {
    return NAME;
  }
}
