package dev.dkssweep.dashboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Who may read the dashboard: {@code dks.dashboard.token} and {@code dks.dashboard.namespaces} (see
 * {@link AccessFilter}). Application-scoped, so it reads its configuration at runtime, on first
 * use, not while providers are set up.
 */
@ApplicationScoped
public class DashboardAccess {

  private final DashboardConfig config;

  @Inject
  public DashboardAccess(DashboardConfig config) {
    this.config = config;
  }

  /** The token, if the dashboard is protected. */
  public Optional<String> token() {
    return config.token().filter(t -> !t.isBlank());
  }

  /** The namespaces this dashboard shows, or empty for all. */
  public Optional<List<String>> namespaces() {
    return config.namespaces().filter(n -> !n.isEmpty());
  }
}
