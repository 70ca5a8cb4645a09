package dev.dkssweep.dashboard.api;

import dev.dkssweep.dashboard.query.DashboardQueries;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The read model on the application's datasource, or, when the dashboard is given its own database
 * user ({@code dks.dashboard.datasource.jdbc-url}, {@code .username}, {@code .password}; e.g. a
 * member of the dks_reader role, db/README.md), on a small pool of its own whose connections are
 * also read-only (pgjdbc {@code readOnly=true&readOnlyMode=always}).
 */
@ApplicationScoped
public class DashboardProducer {

  private static final Logger LOG = Logger.getLogger(DashboardProducer.class.getName());

  private AgroalDataSource own;

  @Produces
  @Singleton
  DashboardQueries queries(DataSource application, DashboardConfig config) throws SQLException {
    Optional<String> url = config.datasource().jdbcUrl();
    Optional<String> username = config.datasource().username();
    Optional<String> password = config.datasource().password();
    if (url.isEmpty() || url.get().isBlank()) {
      return new DashboardQueries(application);
    }
    String jdbc =
        url.get() + (url.get().contains("?") ? "&" : "?") + "readOnly=true&readOnlyMode=always";
    own =
        AgroalDataSource.from(
            new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(
                    pool ->
                        pool.maxSize(4)
                            .acquisitionTimeout(Duration.ofSeconds(10))
                            .connectionFactoryConfiguration(
                                factory -> {
                                  factory.jdbcUrl(jdbc);
                                  username.ifPresent(u -> factory.principal(new NamePrincipal(u)));
                                  password.ifPresent(
                                      p -> factory.credential(new SimplePassword(p)));
                                  return factory;
                                })));
    LOG.info("dashboard reads through its own read-only database user " + username.orElse("?"));
    return new DashboardQueries(own);
  }

  @PreDestroy
  void close() {
    if (own != null) {
      own.close();
    }
  }
}
