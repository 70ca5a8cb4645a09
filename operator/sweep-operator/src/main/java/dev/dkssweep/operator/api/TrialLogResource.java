package dev.dkssweep.operator.api;

import dev.dkssweep.operator.execution.local.ProcessTrialExecutor;
import dev.dkssweep.sweep.model.SweepDocuments;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tail of a trial's current attempt log. Local mode: the trainer's stderr in the run directory
 * ({@code dks.runs-dir}, set by {@code run} and {@code serve}); in a cluster this will be the pod
 * log while the pod exists. 404 for an unknown sweep or trial; 204 (no content) for a known trial
 * without a log here (not started, another machine's run, or a cluster sweep).
 */
@Path("/api/sweeps/{uid}/trials/{index}/log")
public class TrialLogResource {

  public static final int MAX_LINES = 2_000;

  @Inject ResultStore store;

  @ConfigProperty(name = "dks.runs-dir")
  Optional<String> runsDir;

  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public Response tail(
      @PathParam("uid") String uid,
      @PathParam("index") int index,
      @QueryParam("lines") @DefaultValue("200") int lines) {
    if (lines < 1 || lines > MAX_LINES) {
      throw new BadRequestException("lines: must be between 1 and " + MAX_LINES + ", got " + lines);
    }
    StoredSweep sweep =
        store.sweep(uid).orElseThrow(() -> new NotFoundException("no sweep " + uid));
    StoredTrial trial =
        store.trials(uid).stream()
            .filter(t -> t.trialIndex() == index)
            .findFirst()
            .orElseThrow(() -> new NotFoundException("no trial " + index + " in sweep " + uid));
    if (runsDir.isEmpty() || !SweepDocuments.NAME.matcher(sweep.name()).matches()) {
      return Response.noContent().build();
    }
    java.nio.file.Path dir =
        java.nio.file.Path.of(runsDir.get())
            .resolve(sweep.name())
            .resolve("trial-" + index)
            .resolve("attempt-" + trial.attempt());
    if (!Files.isRegularFile(dir.resolve("trainer.log"))) {
      return Response.noContent().build();
    }
    return Response.ok(ProcessTrialExecutor.tail(dir, lines)).build();
  }
}
