package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.api.v1alpha1.SweepStatus;
import dev.dkssweep.sweep.control.TrialCounts;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.protocol.SpecViolation;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the Sweep resource's status from a round's status value (pure). Conditions follow the
 * Job's: {@code Accepted}, {@code Running}, {@code Complete}, {@code Failed}, {@code Suspended} and
 * {@code Degraded}, each with a CamelCase reason and a sentence; a condition keeps its
 * lastTransitionTime while its status stays, so an unchanged sweep gives an equal status (and no
 * patch).
 */
public final class StatusMapper {

  /** At most this much of the violations goes into the Accepted condition's message. */
  static final int MAX_MESSAGE = 4_000;

  /** The Degraded reason while live attempts cannot start. */
  static final String TRIALS_CANNOT_START = "TrialsCannotStart";

  private StatusMapper() {}

  /**
   * @param generation the resource's metadata.generation the round was asked to run
   * @param suspend the resource's spec.suspend
   * @param previous the resource's current status (null on the first round)
   * @param dashboardUrl the dashboard's base URL, if it is known
   */
  public static SweepStatus status(
      dev.dkssweep.sweep.control.SweepStatus s,
      long generation,
      boolean suspend,
      SweepStatus previous,
      Instant now,
      Optional<String> dashboardUrl) {
    TrialCounts c = s.counts();
    List<Condition> conditions = new ArrayList<>();
    String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> before =
        previous == null || previous.conditions() == null ? List.of() : previous.conditions();
    boolean refusedFirst = s.observedGeneration() == 0;
    conditions.add(
        s.accepted()
            ? condition(
                before,
                time,
                "Accepted",
                true,
                "Accepted",
                "generation " + generation + " is running")
            : condition(
                before,
                time,
                "Accepted",
                false,
                "InvalidSpec",
                violations(s.violations(), refusedFirst)));
    SweepPhase phase = s.phase();
    String reason = s.reason() == null ? null : s.reason().code();
    int queued = s.queuedAttempts();
    int running = Math.max(0, c.of(TrialState.RUNNING) - queued);
    conditions.add(
        phase == SweepPhase.RUNNING
            ? condition(
                before,
                time,
                "Running",
                true,
                "TrialsRunning",
                running
                    + " running, "
                    + queued
                    + " queued, "
                    + c.finished()
                    + " of "
                    + c.total()
                    + " finished")
            : condition(
                before, time, "Running", false, phase.column(), "the sweep is " + phase.column()));
    conditions.add(
        condition(
            before,
            time,
            "Complete",
            phase == SweepPhase.COMPLETE,
            phase == SweepPhase.COMPLETE ? or(reason, "Complete") : "NotComplete",
            phase == SweepPhase.COMPLETE
                ? "the sweep completed: " + or(reason, "all trials finished")
                : "the sweep has not completed"));
    conditions.add(
        condition(
            before,
            time,
            "Failed",
            phase == SweepPhase.FAILED,
            phase == SweepPhase.FAILED ? or(reason, "Failed") : "NotFailed",
            phase == SweepPhase.FAILED
                ? "the sweep failed: " + or(reason, "see its events")
                : "the sweep has not failed"));
    conditions.add(
        condition(
            before,
            time,
            "Suspended",
            suspend && !phase.finished(),
            suspend ? (phase == SweepPhase.STOPPED ? "Suspended" : "Suspending") : "NotSuspended",
            suspend
                ? (s.liveAttempts() == 0
                    ? "nothing runs; set spec.suspend to false to resume"
                    : s.liveAttempts() + " attempts stopping")
                : "the sweep is not suspended"));
    conditions.add(degraded(before, time, s, generation, refusedFirst));
    return new SweepStatus(
        generation,
        refusedFirst ? SweepPhase.PENDING.column() : phase.column(),
        refusedFirst ? EventReason.INVALID_SPEC.code() : reason,
        conditions,
        counts(s, c, running, queued),
        c.finished() + "/" + c.total(),
        best(s).orElse(null),
        s.startedAt() == null ? null : s.startedAt().truncatedTo(ChronoUnit.SECONDS).toString(),
        s.finishedAt() == null ? null : s.finishedAt().truncatedTo(ChronoUnit.SECONDS).toString(),
        dashboardUrl.map(u -> u.replaceAll("/+$", "") + "/#/sweep/" + s.uid()).orElse(null));
  }

  /**
   * Degraded: a later generation was refused (the sweep goes on with the last accepted one), or
   * live attempts cannot start (an image that cannot be pulled, a pod no node takes); both may
   * hold.
   */
  private static Condition degraded(
      List<Condition> before,
      String time,
      dev.dkssweep.sweep.control.SweepStatus s,
      long generation,
      boolean refusedFirst) {
    List<String> reasons = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    if (!s.accepted() && !refusedFirst) {
      reasons.add(EventReason.INVALID_SPEC.code());
      messages.add(
          "generation "
              + generation
              + " was refused; the sweep goes on with generation "
              + s.observedGeneration()
              + ": "
              + violations(s.violations(), false));
    }
    s.stuck()
        .ifPresent(
            k -> {
              reasons.add(TRIALS_CANNOT_START);
              messages.add(
                  k.attempts()
                      + (k.attempts() == 1 ? " trial attempt cannot" : " trial attempts cannot")
                      + " start (trial "
                      + k.trialIndex()
                      + ": "
                      + k.why()
                      + "); past the start timeout each fails as could not start");
            });
    boolean degraded = !reasons.isEmpty();
    return condition(
        before,
        time,
        "Degraded",
        degraded,
        degraded ? reasons.get(0) : "AsExpected",
        degraded ? clip(String.join("; ", messages)) : "nothing is wrong");
  }

  private static String clip(String text) {
    return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE - 3) + "...";
  }

  private static SweepStatus.Counts counts(
      dev.dkssweep.sweep.control.SweepStatus s, TrialCounts c, int running, int queued) {
    return new SweepStatus.Counts(
        c.total(),
        c.of(TrialState.PENDING),
        queued,
        running,
        c.of(TrialState.SUCCEEDED),
        c.of(TrialState.FAILED),
        c.of(TrialState.EARLY_STOPPED) + c.of(TrialState.DIVERGED),
        c.of(TrialState.SKIPPED),
        s.phase().finished() ? 0 : c.of(TrialState.STOPPED),
        c.relaunched());
  }

  private static Optional<SweepStatus.Best> best(dev.dkssweep.sweep.control.SweepStatus s) {
    return s.bestCell()
        .map(
            b -> {
              Cell cell = b.cell();
              return new SweepStatus.Best(
                  cell.label(),
                  cell.arm(),
                  cell.activation(),
                  cell.depth(),
                  cell.width(),
                  cell.learningRate(),
                  b.aggregate().format(),
                  b.aggregate().mean(),
                  b.aggregate().std(),
                  b.aggregate().n());
            });
  }

  private static String violations(List<SpecViolation> v, boolean first) {
    String all =
        v.stream().map(x -> x.field() + ": " + x.message()).collect(Collectors.joining("; "));
    return clip((first ? "the spec is invalid: " : "") + all);
  }

  private static Condition condition(
      List<Condition> before,
      String now,
      String type,
      boolean status,
      String reason,
      String message) {
    String value = status ? "True" : "False";
    String since =
        before.stream()
            .filter(c -> type.equals(c.getType()) && value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElse(now);
    return new ConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastTransitionTime(since)
        .build();
  }

  private static String or(String a, String b) {
    return a == null ? b : a;
  }
}
