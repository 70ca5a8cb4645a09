package dev.dkssweep.operator.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Misconfigurations of the dashboard's protection stop the application with the fix. */
class DashboardPolicyTest {

  private static DashboardPolicy policy(
      boolean enabled, String token, boolean tenantEnabled, String authServer) {
    DashboardPolicy p = new DashboardPolicy();
    p.enabled = enabled;
    p.token = Optional.ofNullable(token);
    p.tenantEnabled = tenantEnabled;
    p.authServer = Optional.ofNullable(authServer);
    p.roles = Optional.empty();
    return p;
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
