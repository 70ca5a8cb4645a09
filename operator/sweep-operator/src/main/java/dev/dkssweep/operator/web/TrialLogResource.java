package dev.dkssweep.operator.web;

import dev.dkssweep.operator.config.OperatorConfig;
import dev.dkssweep.operator.execution.kubernetes.JobStateMapper;
import dev.dkssweep.operator.execution.kubernetes.WorkerRef;
import dev.dkssweep.operator.execution.local.ProcessTrialExecutor;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.inject.Instance;
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

/**
 * The tail of a trial's current attempt log. In a cluster, the log of the attempt's pod (the
 * trial's worker is {@code pod/<namespace>/<name>}) while the pod exists; in local mode, the
 * trainer's stderr in the run directory ({@code dks.runs-dir}, set by {@code run} and {@code
 * serve}). 404 for an unknown sweep or trial; 204 (no content) for a known trial without a log here
 * (not started, its pod deleted, another machine's run); 502 when the Kubernetes API fails.
 */
@Path("/api/sweeps/{uid}/trials/{index}/log")
public class TrialLogResource {

  public static final int MAX_LINES = 2_000;

  private final ResultStore store;
  private final Optional<String> runsDir;
  // created on first use: local mode never needs (or configures) a Kubernetes client
  private final Instance<KubernetesClient> kubernetes;

  @Inject
  public TrialLogResource(
      ResultStore store, OperatorConfig config, Instance<KubernetesClient> kubernetes) {
    this.store = store;
    this.runsDir = config.runsDir();
    this.kubernetes = kubernetes;
  }

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
    Optional<WorkerRef> worker = WorkerRef.parse(trial.worker());
    if (worker.isPresent()) {
      Optional<WorkerRef> pod = worker;
      if (worker.get().kind() == WorkerRef.Kind.JOB) {
        try {
          pod = newestPod(worker.get());
        } catch (KubernetesClientException e) {
          return unavailable(worker.get(), e);
        }
      }
      return pod.isEmpty() ? Response.noContent().build() : podLog(pod.get(), lines);
    }
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

  /** The newest pod of a trial attempt's Job (the Job controller names its pods). */
  private Optional<WorkerRef> newestPod(WorkerRef job) {
    return JobStateMapper.newest(
            kubernetes
                .get()
                .pods()
                .inNamespace(job.namespace())
                .withLabel("job-name", job.name())
                .list()
                .getItems())
        .map(p -> WorkerRef.pod(job.namespace(), p.getMetadata().getName()));
  }

  private Response podLog(WorkerRef pod, int lines) {
    try {
      String log =
          kubernetes
              .get()
              .pods()
              .inNamespace(pod.namespace())
              .withName(pod.name())
              .tailingLines(lines)
              .getLog();
      return log == null || log.isEmpty()
          ? Response.noContent().build()
          : Response.ok(log.endsWith("\n") ? log.substring(0, log.length() - 1) : log).build();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Response.noContent().build(); // the pod is gone: its log with it
      }
      return unavailable(pod, e);
    }
  }

  private static Response unavailable(WorkerRef worker, KubernetesClientException e) {
    return Response.status(502)
        .type(MediaType.TEXT_PLAIN)
        .entity("the log of " + worker.worker() + " is unavailable: " + e.getMessage())
        .build();
  }
}
