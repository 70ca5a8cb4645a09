package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.TrialState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

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
    List<TrialView> inOrder = sorted(o.trials());
    TrialView[] byIndex = byIndex(inOrder);
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
    Optional<TrialView> goal = goalReached(inOrder);
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
    List<TrialAction.Launch> lost = new ArrayList<>();
    List<TrialAction.Launch> resumed = new ArrayList<>();
    List<TrialAction.Launch> retried = new ArrayList<>();
    long everLaunched = 0;
    for (TrialView t : inOrder) {
      if (t.attempt() > 0) {
        everLaunched++;
      }
      if (t.state() == TrialState.RUNNING && !t.alive()) {
        lost.add(
            new TrialAction.Launch(
                t.index(), t.attempt() + 1, "relaunched: attempt " + t.attempt() + " was lost"));
      } else if (t.state() == TrialState.STOPPED) {
        resumed.add(
            new TrialAction.Launch(
                t.index(),
                t.attempt() + 1,
                "resumed: attempt " + t.attempt() + " was stopped by an interruption"));
      } else if (retriable(t)) {
        retried.add(
            new TrialAction.Launch(
                t.index(),
                t.attempt() + 1,
                "retry " + t.failedAttempts() + " of " + policy.maxRetries()));
      }
    }
    List<TrialAction.Launch> launches = new ArrayList<>(lost);
    launches.addAll(resumed);
    launches.addAll(retried);
    // pending trials in launch order, while fewer than maxTrials were ever launched; only as many
    // as can start (at least one, which says whether anything is left to launch)
    int wanted = Math.max(slots, 1);
    boolean[] taken = new boolean[byIndex.length];
    long launchable = 0;
    for (int index : policy.launchOrder()) {
      if (launches.size() >= wanted || everLaunched + launchable >= policy.maxTrials()) {
        break;
      }
      TrialView t = index >= 0 && index < byIndex.length ? byIndex[index] : null;
      if (t != null && t.state() == TrialState.PENDING && !taken[index]) {
        taken[index] = true;
        launchable++;
        launches.add(new TrialAction.Launch(index, 1, null));
      }
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

  /** The trials by index (as given when they already are, as a round gives them). */
  private static List<TrialView> sorted(List<TrialView> trials) {
    for (int i = 1; i < trials.size(); i++) {
      if (trials.get(i - 1).index() > trials.get(i).index()) {
        return trials.stream().sorted(Comparator.comparingInt(TrialView::index)).toList();
      }
    }
    return trials;
  }

  /** The trials at their indices (null where there is none); a repeated index is refused. */
  private static TrialView[] byIndex(List<TrialView> inOrder) {
    int length = inOrder.isEmpty() ? 0 : inOrder.get(inOrder.size() - 1).index() + 1;
    TrialView[] out = new TrialView[Math.max(0, length)];
    for (TrialView t : inOrder) {
      if (t.index() < 0) {
        throw new IllegalArgumentException("trial index " + t.index() + " is negative");
      }
      if (out[t.index()] != null) {
        throw new IllegalStateException("Duplicate key " + t.index());
      }
      out[t.index()] = t;
    }
    return out;
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
    return trials.stream()
        .filter(t -> t.state() == TrialState.SUCCEEDED && t.objective() != null)
        .filter(t -> !policy.objective().better(target, t.objective()))
        .findFirst();
  }
}
