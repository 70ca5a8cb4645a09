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

  /** True when a request's {@code Host} header names this dashboard (always, unless limited). */
  public boolean allowsHost(String hostHeader) {
    Optional<List<String>> allowed = config.allowedHosts().filter(h -> !h.isEmpty());
    if (allowed.isEmpty()) {
      return true;
    }
    if (hostHeader == null) {
      return false;
    }
    String h = hostHeader.strip().toLowerCase(java.util.Locale.ROOT);
    // host[:port], or [ipv6][:port]
    String name =
        h.startsWith("[") ? h.substring(0, h.indexOf(']') + 1) : h.replaceFirst(":\\d+$", "");
    return allowed.get().stream().anyMatch(a -> a.strip().equalsIgnoreCase(name));
  }

  /** The namespaces this dashboard shows, or empty for all. */
  public Optional<List<String>> namespaces() {
    return config.namespaces().filter(n -> !n.isEmpty());
  }
}
