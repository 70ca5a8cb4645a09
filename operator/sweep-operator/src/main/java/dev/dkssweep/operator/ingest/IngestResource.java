package dev.dkssweep.operator.ingest;

import dev.dkssweep.sweep.protocol.InvalidSpecException;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.protocol.TrialId;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.FinishedAttemptException;
import dev.dkssweep.sweep.store.IngestResult;
import dev.dkssweep.sweep.store.RejectedBatchException;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.SummaryValidator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Where trainers push: {@code POST /api/ingest/trials/{trialId}/metrics} (a {@link MetricBatch})
 * and {@code .../summary} (a {@link TrialSummary}), each with its attempt's bearer token (another
 * attempt's token is a 403). A repeated batch is a no-op; a rejected one (bad values, unknown
 * trial, wrong attempt, oversized) is a 400 naming every problem, and nothing of it is written; one
 * for an attempt that has ended is a 409 (its record is final; the refusal is counted with the
 * trial).
 */
@Path("/api/ingest/trials/{trialId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class IngestResource {

  /** A request body larger than this is refused before parsing (50 000 points fit in ~4 MiB). */
  public static final int MAX_BODY_CHARS = 8 * 1024 * 1024;

  private final ResultStore store;
  private final TrialTokens tokens;
  private final IngestListener listener;
  private final Counter points;

  @Inject
  public IngestResource(
      ResultStore store, TrialTokens tokens, IngestListener listener, MeterRegistry registry) {
    this.store = store;
    this.tokens = tokens;
    this.listener = listener;
    this.points =
        Counter.builder("dks.ingest.points")
            .description("Metric points recorded from trainers")
            .register(registry);
  }

  /** The problems of a refused request. */
  public record Problems(List<SpecViolation> problems) {}

  @POST
  @Path("metrics")
  public Response metrics(
      @PathParam("trialId") String trialId,
      @HeaderParam("Authorization") String authorization,
      String body) {
    return handle(
        trialId,
        authorization,
        body,
        MetricBatch.class,
        MetricBatch::trialId,
        MetricBatch::attempt,
        batch -> {
          IngestResult r = store.appendMetrics(batch);
          points.increment(r.inserted());
          return r;
        });
  }

  @POST
  @Path("summary")
  public Response summary(
      @PathParam("trialId") String trialId,
      @HeaderParam("Authorization") String authorization,
      String body) {
    return handle(
        trialId,
        authorization,
        body,
        TrialSummary.class,
        TrialSummary::trialId,
        TrialSummary::attempt,
        summary -> {
          List<SpecViolation> problems = SummaryValidator.validate(summary);
          if (!problems.isEmpty()) {
            throw new InvalidSpecException(problems);
          }
          store.recordSummary(TrialId.parse(trialId).sweepUid(), summary);
          return Map.of("recorded", true);
        });
  }

  /**
   * Checks the token and the body, parses it strictly, checks that it is for this trial and applies
   * it; every refusal is a 4xx naming its field.
   */
  private <T> Response handle(
      String trialId,
      String authorization,
      String body,
      Class<T> type,
      Function<T, String> trialIdOf,
      ToIntFunction<T> attemptOf,
      Function<T, Object> apply) {
    OptionalInt tokenAttempt = tokens.verify(trialId, authorization);
    if (tokenAttempt.isEmpty()) {
      return unauthorised(trialId); // IngestTokenFilter refuses it first; checked here as well
    }
    Response refused = check(body);
    if (refused != null) {
      return refused;
    }
    try {
      T document = ProtocolJson.readStrict(body, type);
      if (!trialId.equals(trialIdOf.apply(document))) {
        return bad(
            "trialId",
            "the document is for " + trialIdOf.apply(document) + ", posted to " + trialId);
      }
      if (attemptOf.applyAsInt(document) != tokenAttempt.getAsInt()) {
        return problem(
            403,
            "attempt",
            "the token is attempt "
                + tokenAttempt.getAsInt()
                + "'s; attempt "
                + attemptOf.applyAsInt(document)
                + " writes with its own");
      }
      Object result = apply.apply(document);
      listener.recorded(TrialId.parse(trialId).sweepUid());
      return Response.ok(result).build();
    } catch (InvalidSpecException e) {
      return Response.status(400).entity(new Problems(e.violations())).build();
    } catch (RejectedBatchException e) {
      return Response.status(400).entity(new Problems(e.problems())).build();
    } catch (FinishedAttemptException e) {
      return Response.status(409).entity(new Problems(e.problems())).build();
    } catch (IllegalArgumentException e) {
      return bad("trialId", e.getMessage());
    }
  }

  private Response check(String body) {
    if (body == null || body.isBlank()) {
      return bad("body", "is empty; send a JSON document");
    }
    if (body.length() > MAX_BODY_CHARS) {
      return problem(
          413, "body", "is larger than " + MAX_BODY_CHARS + " characters; send smaller batches");
    }
    return null;
  }

  /** The refusal of a request without a token of the trial's. */
  static Response unauthorised(String trialId) {
    return problem(401, "Authorization", "missing or wrong bearer token for trial " + trialId);
  }

  private static Response bad(String field, String message) {
    return problem(400, field, message);
  }

  private static Response problem(int status, String field, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new Problems(List.of(new SpecViolation(field, message))))
        .build();
  }
}
