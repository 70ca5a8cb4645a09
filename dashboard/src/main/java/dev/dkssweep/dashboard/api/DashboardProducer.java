package dev.dkssweep.dashboard.api;

import dev.dkssweep.dashboard.query.DashboardQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/** The read model on the application's datasource. */
@ApplicationScoped
public class DashboardProducer {

  @Produces
  @Singleton
  DashboardQueries queries(DataSource dataSource) {
    return new DashboardQueries(dataSource);
  }
}
