package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.document.SweepValidator;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.LaunchOrders;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.planning.TrialSlot;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.SpecViolation;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import dev.dkssweep.sweep.store.StoredSweep;
import dev.dkssweep.sweep.store.StoredTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The round's first step, once per generation of a sweep's document: validate it, check that it may
 * follow the recorded one ({@link SweepChanges}), solve the kernel preflight of its cells, and
 * record what is new (the sweep, its cells and trials, Skipped for cells that cannot be shaped).
 * Every record is idempotent, so a driver that died halfway records the rest the next time. The
 * accepted generation of each sweep is kept in memory; after a restart it is rebuilt from the store
 * and the document.
 */
public final class Generations {

  /** The generation a round runs, and what is wrong with the requested one (empty if nothing). */
  public record Prepared(Optional<Generation> generation, List<SpecViolation> violations) {}

  private record Refusal(long generation, List<SpecViolation> violations) {}

  private final ResultStore store;
  private final Preflight preflight;
  private final SpecPolicy policy;
  private final Map<String, Generation> accepted = new ConcurrentHashMap<>();
  private final Map<String, Refusal> refused = new ConcurrentHashMap<>();

  public Generations(ResultStore store, Preflight preflight) {
    this(store, preflight, SpecPolicy.NONE);
  }

  public Generations(ResultStore store, Preflight preflight, SpecPolicy policy) {
    this.store = store;
    this.preflight = preflight;
    this.policy = policy;
  }

  public Prepared prepare(SweepRequest r) {
    Generation known = accepted.get(r.uid());
    if (known != null && known.number() == r.generation()) {
      return new Prepared(Optional.of(known), List.of());
    }
    Refusal refusal = refused.get(r.uid());
    if (refusal != null && refusal.generation() == r.generation()) {
      return new Prepared(Optional.ofNullable(known), refusal.violations());
    }
    Optional<StoredSweep> stored = store.sweep(r.uid());
    List<SpecViolation> violations = SweepValidator.validate(r.spec());
    if (violations.isEmpty()) {
      violations = policy.check(r.spec());
    }
    if (violations.isEmpty() && stored.isPresent() && stored.get().generation() < r.generation()) {
      violations = SweepChanges.check(definition(stored.get()), r.spec().definition());
    }
    if (!violations.isEmpty()) {
      return refuse(r, stored, known, violations);
    }
    Generation g;
    if (stored.isEmpty()) {
      g = create(r);
    } else if (stored.get().generation() > r.generation()) {
      g = load(r.uid(), stored.get().generation(), definition(stored.get())); // a stale request
    } else {
      boolean grows = stored.get().generation() < r.generation();
      g = load(r.uid(), r.generation(), r.spec().definition());
      if (grows) {
        store.recordGeneration(r.uid(), r.generation(), SweepDocuments.toJson(g.definition()));
        store.recordEvent(
            r.uid(),
            null,
            EventType.NORMAL,
            EventReason.UPDATED,
            "generation "
                + r.generation()
                + ": "
                + g.layout().newCells().size()
                + " new cells, "
                + g.layout().newSlots().size()
                + " new trials");
      }
    }
    accepted.put(r.uid(), g);
    refused.remove(r.uid());
    return new Prepared(Optional.of(g), List.of());
  }

  /** Drops what is kept of a sweep (deleted, or done with). */
  void forget(String uid) {
    accepted.remove(uid);
    refused.remove(uid);
  }

  private Prepared refuse(
      SweepRequest r,
      Optional<StoredSweep> stored,
      Generation known,
      List<SpecViolation> violations) {
    refused.put(r.uid(), new Refusal(r.generation(), List.copyOf(violations)));
    if (stored.isEmpty()) {
      return new Prepared(Optional.empty(), violations);
    }
    store.recordEvent(
        r.uid(),
        null,
        EventType.WARNING,
        EventReason.INVALID_SPEC,
        "generation "
            + r.generation()
            + " refused, the sweep goes on with generation "
            + stored.get().generation()
            + ": "
            + violations.stream()
                .map(v -> v.field() + ": " + v.message())
                .collect(Collectors.joining("; ")));
    Generation g =
        known != null ? known : load(r.uid(), stored.get().generation(), definition(stored.get()));
    accepted.put(r.uid(), g);
    return new Prepared(Optional.of(g), violations);
  }

  private static SweepDefinition definition(StoredSweep s) {
    return SweepDocuments.definitionFromJson(s.specJson());
  }

  private Generation create(SweepRequest r) {
    SweepDefinition d = r.spec().definition();
    store.recordSweep(
        new NewSweep(
            r.uid(),
            r.namespace(),
            r.name(),
            r.generation(),
            SweepDocuments.toJson(d),
            d.objective().metric(),
            d.objective().goal()));
    Generation g = load(r.uid(), r.generation(), d);
    store.recordEvent(
        r.uid(),
        null,
        EventType.NORMAL,
        EventReason.CREATED,
        g.cells().size() + " cells, " + g.layout().slots().size() + " trials");
    return g;
  }

  /** The generation of a recorded sweep, recording whatever of it is missing. */
  private Generation load(String uid, long number, SweepDefinition d) {
    List<Cell> expanded = CellExpander.expand(d);
    TrialLayout layout =
        TrialLayout.of(expanded, d.space().seeds(), store.cells(uid), store.trials(uid));
    List<Preflight.CellResult> results = preflight.run(d, layout.cells());
    if (!layout.newCells().isEmpty()) {
      store.recordCells(
          uid, layout.newCells().stream().map(c -> newCell(c, results.get(c.index()))).toList());
    }
    if (!layout.newSlots().isEmpty()) {
      store.recordTrials(
          uid,
          layout.newSlots().stream()
              .map(t -> new NewTrial(t.trialIndex(), t.cellIndex(), t.seed()))
              .toList());
    }
    if (d.skipInfeasible()) {
      skipInfeasible(uid, results);
    }
    List<TrialSlot> slots = layout.slots();
    List<Integer> order = LaunchOrders.of(layout.cells(), results, slots, d.strategy().order());
    return new Generation(number, d, layout, results, order);
  }

  /** Pending trials of cells the preflight cannot shape are Skipped with the solver's reason. */
  private void skipInfeasible(String uid, List<Preflight.CellResult> results) {
    for (StoredTrial t : store.trials(uid)) {
      Preflight.CellResult r = results.get(t.cellIndex());
      if (!r.feasible() && t.state() == TrialState.PENDING) {
        store.transition(
            uid,
            t.trialIndex(),
            new TrialTransition(t.version(), TrialState.SKIPPED, t.attempt(), null, r.reason()));
      }
    }
  }

  private static NewCell newCell(Cell c, Preflight.CellResult r) {
    return new NewCell(
        c.index(),
        c.arm(),
        c.activation(),
        c.architecture().code(),
        c.depth(),
        c.width(),
        c.learningRate(),
        c.dataset(),
        r.feasible(),
        r.reason(),
        r.transform() == null ? null : ProtocolJson.write(r.transform()),
        r.diagnostics() == null ? null : ProtocolJson.write(r.diagnostics()));
  }
}
