package dev.dkssweep.operator.web;

import dev.dkssweep.operator.ingest.IngestResource;
import dev.dkssweep.store.StoreException;
import dev.dkssweep.sweep.protocol.SpecViolation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.logging.Logger;

/**
 * A request that needed the database while it is unavailable gets 503 with {@code Retry-After}, not
 * a 500: the trainers keep their points and send them again, the dashboard shows that it waits. The
 * SQL failure itself goes to the log only.
 */
@Provider
public class StoreUnavailable implements ExceptionMapper<StoreException> {

  private static final Logger LOG = Logger.getLogger(StoreUnavailable.class.getName());

  /** Seconds a client is asked to wait. */
  static final int RETRY_AFTER_SECONDS = 2;

  @Override
  public Response toResponse(StoreException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    LOG.warning(e.getMessage() + ": " + root.getMessage());
    return Response.status(Response.Status.SERVICE_UNAVAILABLE)
        .header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
        .type(MediaType.APPLICATION_JSON)
        .entity(
            new IngestResource.Problems(
                List.of(
                    new SpecViolation(
                        "database",
                        "the results database is unavailable; retry in "
                            + RETRY_AFTER_SECONDS
                            + " s"))))
        .build();
  }
}
