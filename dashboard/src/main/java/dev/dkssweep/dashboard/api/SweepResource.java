package dev.dkssweep.dashboard.api;

import dev.dkssweep.dashboard.query.CellAggregate;
import dev.dkssweep.dashboard.query.CellKernel;
import dev.dkssweep.dashboard.query.CurveBand;
import dev.dkssweep.dashboard.query.CurvePoint;
import dev.dkssweep.dashboard.query.DashboardQueries;
import dev.dkssweep.dashboard.query.SweepEvent;
import dev.dkssweep.dashboard.query.SweepRow;
import dev.dkssweep.dashboard.query.TrialDetail;
import dev.dkssweep.dashboard.query.TrialFilter;
import dev.dkssweep.dashboard.query.TrialPage;
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
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's read API: sweeps, a sweep's trials (filtered, sorted, paged), a trial's curves,
 * per-cell aggregates over seeds and the paper table. Read-only; bad parameters are a 400 naming
 * the parameter.
 */
@Path("/api/sweeps")
@Produces(MediaType.APPLICATION_JSON)
public class SweepResource {

  /** The curves of a trial when none are named: loss and validation metrics. */
  public static final List<String> DEFAULT_CURVES =
      List.of("train_loss", "val_loss", "val_accuracy");

  private final DashboardQueries queries;
  private final DashboardAccess access;

  @Inject
  public SweepResource(DashboardQueries queries, DashboardAccess access) {
    this.queries = queries;
    this.access = access;
  }

  @GET
  public List<SweepRow> sweeps(
      @QueryParam("namespace") String namespace,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    if (limit < 1 || limit > 1000) {
      throw new BadRequestException("limit: must be between 1 and 1000, got " + limit);
    }
    Optional<List<String>> allowed = access.namespaces();
    if (allowed.isEmpty()) {
      return queries.sweeps(namespace, limit);
    }
    if (namespace != null) {
      return allowed.get().contains(namespace) ? queries.sweeps(namespace, limit) : List.of();
    }
    return queries.sweepsIn(allowed.get(), limit);
  }

  @GET
  @Path("{uid}")
  public SweepRow sweep(@PathParam("uid") String uid) {
    return queries.sweep(uid).orElseThrow(() -> new NotFoundException("no sweep " + uid));
  }

  @GET
  @Path("{uid}/events")
  public List<SweepEvent> events(
      @PathParam("uid") String uid, @QueryParam("limit") @DefaultValue("20") int limit) {
    if (limit < 1 || limit > 500) {
      throw new BadRequestException("limit: must be between 1 and 500, got " + limit);
    }
    return queries.events(uid, limit);
  }

  @GET
  @Path("{uid}/trials")
  public TrialPage trials(
      @PathParam("uid") String uid,
      @QueryParam("state") String state,
      @QueryParam("method") String method,
      @QueryParam("activation") String activation,
      @QueryParam("sort") @DefaultValue("trial_index") String sort,
      @QueryParam("desc") @DefaultValue("false") boolean descending,
      @QueryParam("offset") @DefaultValue("0") int offset,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    TrialFilter filter;
    try {
      filter = new TrialFilter(state, method, activation, sort, descending, offset, limit);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
    return queries.trials(uid, filter);
  }

  @GET
  @Path("{uid}/trials/{index}")
  public TrialDetail trial(@PathParam("uid") String uid, @PathParam("index") int index) {
    return queries
        .trial(uid, index)
        .orElseThrow(() -> new NotFoundException("no trial " + index + " in sweep " + uid));
  }

  @GET
  @Path("{uid}/trials/{index}/curves")
  public List<CurvePoint> curves(
      @PathParam("uid") String uid,
      @PathParam("index") int index,
      @QueryParam("name") List<String> names) {
    nonNegative(index);
    return queries.curves(uid, index, names == null || names.isEmpty() ? DEFAULT_CURVES : names);
  }

  @GET
  @Path("{uid}/cells")
  public List<CellAggregate> cells(
      @PathParam("uid") String uid,
      @QueryParam("method") String method,
      @QueryParam("activation") String activation) {
    return queries.cells(uid, method, activation);
  }

  @GET
  @Path("{uid}/cells/{index}/curves")
  public List<CurveBand> cellCurves(
      @PathParam("uid") String uid,
      @PathParam("index") int index,
      @QueryParam("name") List<String> names) {
    nonNegative(index);
    return queries.cellCurves(
        uid, index, names == null || names.isEmpty() ? DEFAULT_CURVES : names);
  }

  @GET
  @Path("{uid}/cells/{index}/kernel")
  public CellKernel kernel(@PathParam("uid") String uid, @PathParam("index") int index) {
    return queries
        .kernel(uid, index)
        .orElseThrow(() -> new NotFoundException("no cell " + index + " in sweep " + uid));
  }

  @GET
  @Path("{uid}/paper-table")
  public List<CellAggregate> paperTable(@PathParam("uid") String uid) {
    return queries.paperTable(uid);
  }

  /** A trial's or a cell's index in a path: 0 or more. */
  private static void nonNegative(int index) {
    if (index < 0) {
      throw new BadRequestException("index: must be >= 0, got " + index);
    }
  }
}
