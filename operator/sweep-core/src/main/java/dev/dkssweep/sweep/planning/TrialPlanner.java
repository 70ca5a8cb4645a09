package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.TrialState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The planner: a pure function from an {@link Observation} to a {@link Plan}. The same observation
 * always gives the same plan, so the runner (local or Kubernetes) can call it as often as it likes
 * and after any restart.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>More trials failed for good than {@code maxFailedTrials}: stop the running ones, skip the
 *       pending ones, the sweep fails.
 *   <li>A finished trial reached the objective's target, or the deadline passed: stop, skip, the
 *       sweep completes.
 *   <li>Early stopping (median, ASHA) of running trials.
 *   <li>Launch while fewer than {@code parallelism} trials run, in this priority: trials whose
 *       process vanished (a crashed runner), trials stopped by an interruption (resume), failed
 *       trials with retries left, then pending trials in launch order while fewer than {@code
 *       maxTrials} were ever launched.
 *   <li>Nothing running and nothing left to launch: skip what the budget leaves out, the sweep
 *       completes.
 * </ol>
 *
 * A trial "failed for good" ended Failed (or Diverged, when non-finite losses do not stop it) more
 * than {@code maxRetries} times. With {@code stopOnNonFinite} a Diverged trial is a result, not a
 * failure: the method could not train that cell.
 */
public final class TrialPlanner {

  private final PlannerPolicy policy;

  public PlannerPolicy policy() {
    return policy;
  }

  public TrialPlanner(PlannerPolicy policy) {
    this.policy = policy;
  }

  public Plan plan(Observation o) {
    Map<Integer, TrialView> byIndex =
        o.trials().stream().collect(Collectors.toMap(TrialView::index, Function.identity()));
    List<TrialView> running =
        o.trials().stream().filter(t -> t.state() == TrialState.RUNNING && t.alive()).toList();
    List<TrialView> pending =
        o.trials().stream().filter(t -> t.state() == TrialState.PENDING).toList();
    List<TrialAction> actions = new ArrayList<>();

    long failedForGood = o.trials().stream().filter(this::failedForGood).count();
    if (failedForGood > policy.maxFailedTrials()) {
      return end(
          actions,
          running,
          pending,
          true,
          EventReason.TOO_MANY_FAILED_TRIALS,
          failedForGood
              + " trials failed (more than budget.maxFailedTrials = "
              + policy.maxFailedTrials()
              + ")");
    }
    Optional<TrialView> goal = goalReached(o.trials());
    if (goal.isPresent()) {
      TrialView t = goal.get();
      return end(
          actions,
          running,
          pending,
          false,
          EventReason.GOAL_REACHED,
          "trial "
              + t.index()
              + " reached "
              + policy.objective().metric()
              + " = "
              + t.objective()
              + " (target "
              + policy.objective().target().getAsDouble()
              + ")");
    }
    if (policy.deadline() != null
        && !Duration.between(o.startedAt(), o.now()).minus(policy.deadline()).isNegative()) {
      return end(
          actions,
          running,
          pending,
          false,
          EventReason.DEADLINE_EXCEEDED,
          "budget.deadline of " + policy.deadline() + " passed");
    }

    int stopping = 0;
    for (TrialView t : running) {
      Optional<String> reason = EarlyStopping.decide(t, o.trials(), policy);
      if (reason.isPresent()) {
        actions.add(new TrialAction.Stop(t.index(), TrialState.EARLY_STOPPED, reason.get()));
        stopping++;
      }
    }

    int slots = policy.parallelism() - (running.size() - stopping);
    List<TrialAction.Launch> launches = new ArrayList<>();
    for (TrialView t : sorted(o.trials())) {
      if (t.state() == TrialState.RUNNING && !t.alive()) {
        launches.add(
            new TrialAction.Launch(
                t.index(), t.attempt() + 1, "relaunched: attempt " + t.attempt() + " was lost"));
      }
    }
    for (TrialView t : sorted(o.trials())) {
      if (t.state() == TrialState.STOPPED) {
        launches.add(
            new TrialAction.Launch(
                t.index(),
                t.attempt() + 1,
                "resumed: attempt " + t.attempt() + " was stopped by an interruption"));
      }
    }
    for (TrialView t : sorted(o.trials())) {
      if (retriable(t)) {
        launches.add(
            new TrialAction.Launch(
                t.index(),
                t.attempt() + 1,
                "retry " + t.failedAttempts() + " of " + policy.maxRetries()));
      }
    }
    long everLaunched = o.trials().stream().filter(t -> t.attempt() > 0).count();
    Set<Integer> pendingIndices = new LinkedHashSet<>();
    for (int index : policy.launchOrder()) {
      TrialView t = byIndex.get(index);
      if (t != null && t.state() == TrialState.PENDING) {
        pendingIndices.add(index);
      }
    }
    List<Integer> launchable = new ArrayList<>();
    for (int index : pendingIndices) {
      if (everLaunched + launchable.size() >= policy.maxTrials()) {
        break;
      }
      launchable.add(index);
    }
    for (int index : launchable) {
      launches.add(new TrialAction.Launch(index, 1, null));
    }
    int launched = 0;
    for (TrialAction.Launch l : launches) {
      if (launched >= slots) {
        break;
      }
      actions.add(l);
      launched++;
    }
    if (running.isEmpty() && launches.isEmpty()) {
      for (TrialView t : pending) {
        actions.add(
            new TrialAction.Skip(
                t.index(), "budget.maxTrials (" + policy.maxTrials() + ") reached"));
      }
      long finished = o.trials().stream().filter(t -> t.state() != TrialState.SKIPPED).count();
      actions.add(
          new TrialAction.Finish(
              false,
              pending.isEmpty() ? EventReason.ALL_TRIALS_FINISHED : EventReason.BUDGET_EXHAUSTED,
              finished
                  + " trials finished"
                  + (failedForGood > 0 ? ", " + failedForGood + " failed" : "")));
    }
    return new Plan(actions);
  }

  private Plan end(
      List<TrialAction> actions,
      List<TrialView> running,
      List<TrialView> pending,
      boolean failed,
      EventReason reason,
      String message) {
    for (TrialView t : running) {
      actions.add(
          new TrialAction.Stop(t.index(), TrialState.STOPPED, reason.code() + ": " + message));
    }
    for (TrialView t : pending) {
      actions.add(new TrialAction.Skip(t.index(), reason.code() + ": " + message));
    }
    actions.add(new TrialAction.Finish(failed, reason, message));
    return new Plan(actions);
  }

  private static List<TrialView> sorted(List<TrialView> trials) {
    return trials.stream().sorted(Comparator.comparingInt(TrialView::index)).toList();
  }

  private boolean failure(TrialView t) {
    return t.state() == TrialState.FAILED
        || (t.state() == TrialState.DIVERGED && !policy.earlyStopping().stopOnNonFinite());
  }

  private boolean retriable(TrialView t) {
    return failure(t) && !t.permanent() && t.failedAttempts() <= policy.maxRetries();
  }

  private boolean failedForGood(TrialView t) {
    return failure(t) && (t.permanent() || t.failedAttempts() > policy.maxRetries());
  }

  private Optional<TrialView> goalReached(List<TrialView> trials) {
    if (policy.objective().target().isEmpty()) {
      return Optional.empty();
    }
    double target = policy.objective().target().getAsDouble();
    return sorted(trials).stream()
        .filter(t -> t.state() == TrialState.SUCCEEDED && t.objective() != null)
        .filter(t -> !policy.objective().better(target, t.objective()))
        .findFirst();
  }
}
