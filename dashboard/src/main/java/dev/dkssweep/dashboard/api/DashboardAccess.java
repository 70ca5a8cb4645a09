package dev.dkssweep.dashboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may read the dashboard: {@code dks.dashboard.token} and {@code dks.dashboard.namespaces} (see
 * {@link AccessFilter}). Application-scoped, so it reads its configuration at runtime, on first
 * use, not while providers are set up.
 */
@ApplicationScoped
public class DashboardAccess {

  @ConfigProperty(name = "dks.dashboard.token")
  Optional<String> token;

  @ConfigProperty(name = "dks.dashboard.namespaces")
  Optional<List<String>> namespaces;

  /** The token, if the dashboard is protected. */
  public Optional<String> token() {
    return token.filter(t -> !t.isBlank());
  }

  /** The namespaces this dashboard shows, or empty for all. */
  public Optional<List<String>> namespaces() {
    return namespaces.filter(n -> !n.isEmpty());
  }
}
