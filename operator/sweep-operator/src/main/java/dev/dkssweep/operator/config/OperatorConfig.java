package dev.dkssweep.operator.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The application's own {@code dks.*} settings, in one place (the dashboard's, {@code
 * dks.dashboard.*}, are the dashboard module's {@code DashboardConfig}).
 */
@ConfigMapping(prefix = "dks")
public interface OperatorConfig {

  Ingest ingest();

  /**
   * Where local mode keeps each attempt's directory ({@code <runs-dir>/<sweep>/trial-<i>/
   * attempt-<n>/}), for the trial-log API; set by {@code run} and {@code serve}.
   */
  Optional<String> runsDir();

  interface Ingest {
    /**
     * The secret the per-trial ingest tokens are derived from (from a Secret in a cluster); when
     * unset, a random one for this process's trainers only.
     */
    Optional<String> tokenSecret();
  }
}
