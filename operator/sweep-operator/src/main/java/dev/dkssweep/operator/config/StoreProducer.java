package dev.dkssweep.operator.config;

import dev.dkssweep.operator.ingest.TrialTokens;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.store.Migrations;
import dev.dkssweep.sweep.store.ResultStore;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The application's store and tokens: the JDBC {@link ResultStore} on the Agroal datasource, with
 * the schema migrated by Flyway at startup (before anything reads or writes), and the trial-token
 * secret ({@code dks.ingest.token-secret}, e.g. from a Secret; a random one when unset).
 */
@ApplicationScoped
public class StoreProducer {

  private static final Logger LOG = Logger.getLogger(StoreProducer.class.getName());

  @Produces
  @Singleton
  @Startup
  ResultStore resultStore(DataSource dataSource) {
    int applied = Migrations.apply(dataSource);
    if (applied > 0) {
      LOG.info("applied " + applied + " schema migrations");
    }
    return new JdbcResultStore(dataSource);
  }

  @Produces
  @Singleton
  TrialTokens trialTokens(OperatorConfig config) {
    return config
        .ingest()
        .tokenSecret()
        .filter(s -> !s.isBlank())
        .map(s -> new TrialTokens(s.getBytes(StandardCharsets.UTF_8)))
        .orElseGet(TrialTokens::random);
  }
}
