package dev.dkssweep.operator.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dkssweep.dashboard.api.DashboardAccess;
import dev.dkssweep.dashboard.api.DashboardConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Misconfigurations of the dashboard's protection stop the application with the fix. */
class DashboardPolicyTest {

  /** The dashboard's settings: a token (or none) and OpenID Connect on or off. */
  record Settings(boolean enabled, String shared) implements DashboardConfig {
    @Override
    public Optional<String> token() {
      return Optional.ofNullable(shared);
    }

    @Override
    public Optional<List<String>> namespaces() {
      return Optional.empty();
    }

    @Override
    public Optional<List<String>> allowedHosts() {
      return Optional.empty();
    }

    @Override
    public Datasource datasource() {
      return null;
    }

    @Override
    public Oidc oidc() {
      return new Oidc() {
        @Override
        public boolean enabled() {
          return enabled;
        }

        @Override
        public Optional<List<String>> roles() {
          return Optional.empty();
        }
      };
    }
  }

  private static DashboardPolicy policy(
      boolean enabled, String token, boolean tenantEnabled, String authServer) {
    Settings settings = new Settings(enabled, token);
    return new DashboardPolicy(
        settings, new DashboardAccess(settings), tenantEnabled, Optional.ofNullable(authServer));
  }

  @Test
  void offByDefaultWhateverElseIsSet() {
    assertThatCode(() -> policy(false, "t", false, null).check()).doesNotThrowAnyException();
  }

  @Test
  void oidcAndTheSharedTokenAreExclusive() {
    assertThatThrownBy(() -> policy(true, "t", true, "https://idp/realms/x").check())
        .hasMessageContaining("dks.dashboard.token")
        .hasMessageContaining("dks.dashboard.oidc.enabled");
  }

  @Test
  void oidcNeedsItsProvider() {
    assertThatThrownBy(() -> policy(true, null, false, "https://idp/realms/x").check())
        .hasMessageContaining("quarkus.oidc.tenant-enabled=true");
    assertThatThrownBy(() -> policy(true, null, true, " ").check())
        .hasMessageContaining("quarkus.oidc.auth-server-url");
    assertThatCode(() -> policy(true, "", true, "https://idp/realms/x").check())
        .doesNotThrowAnyException();
  }
}
