package dev.dkssweep.operator.reconcile;

import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.operator.api.v1alpha1.SweepStatus;
import dev.dkssweep.sweep.lifecycle.EventReason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Kubernetes Events on a Sweep for what changed between two of its statuses: acceptance, phase
 * changes (completion, failure, suspension), launch waves, early stops, failed trials, trials
 * interrupted and requeued, attempts started again (retries) and trials that cannot start (the
 * Degraded condition turning true). What {@link #changes} finds is pure; posting is best effort (an
 * Event that cannot be written is logged: the status already says the same).
 */
final class SweepEvents {

  private static final Logger LOG = Logger.getLogger(SweepEvents.class.getName());
  static final String COMPONENT = "dks-sweep-operator";

  /** One Event to post. */
  record Change(String type, String reason, String message) {}

  private final KubernetesClient client;
  private final Clock clock;

  SweepEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void transitions(Sweep sweep, SweepStatus before, SweepStatus after) {
    for (Change c : changes(before, after)) {
      LOG.info(
          "sweep "
              + sweep.getMetadata().getNamespace()
              + "/"
              + sweep.getMetadata().getName()
              + ": "
              + c.reason()
              + ": "
              + c.message());
      post(sweep, c);
    }
  }

  static List<Change> changes(SweepStatus before, SweepStatus after) {
    List<Change> out = new ArrayList<>();
    Condition accepted = condition(after, "Accepted");
    Condition wasAccepted = condition(before, "Accepted");
    if (accepted != null
        && (wasAccepted == null
            || !Objects.equals(wasAccepted.getStatus(), accepted.getStatus())
            || !Objects.equals(before.observedGeneration(), after.observedGeneration()))) {
      boolean ok = "True".equals(accepted.getStatus());
      out.add(new Change(ok ? "Normal" : "Warning", accepted.getReason(), accepted.getMessage()));
    }
    SweepStatus.Counts was = before == null ? null : before.counts();
    SweepStatus.Counts now = after.counts();
    if (now != null) {
      int launched = launched(was, now);
      if (launched > 0) {
        out.add(
            new Change(
                "Normal",
                "Launched",
                launched + " trial attempts launched (" + after.progress() + " finished)"));
      }
      int stopped = now.earlyStopped() - (was == null ? 0 : was.earlyStopped());
      if (stopped > 0) {
        out.add(
            new Change("Normal", "EarlyStopped", stopped + " trials stopped early or diverged"));
      }
      int failed = now.failed() - (was == null ? 0 : was.failed());
      if (failed > 0) {
        out.add(new Change("Warning", "TrialsFailed", failed + " trials failed for good"));
      }
      int requeued = now.requeued() - (was == null ? 0 : was.requeued());
      if (requeued > 0) {
        out.add(
            new Change(
                "Normal",
                "TrialsRequeued",
                requeued
                    + " running trials were stopped by an interruption (suspend, preemption,"
                    + " eviction, a queue taking their quota back); each runs again as a new"
                    + " attempt"));
      }
      int relaunched = now.relaunched() - (was == null ? 0 : was.relaunched());
      if (relaunched > 0) {
        out.add(
            new Change(
                "Normal",
                "TrialsRelaunched",
                relaunched
                    + " trial attempts started again (retries after a failure, resumptions after"
                    + " an interruption, replacements of lost attempts; "
                    + now.relaunched()
                    + " so far)"));
      }
    }
    Condition degraded = condition(after, "Degraded");
    Condition wasDegraded = condition(before, "Degraded");
    if (degraded != null
        && "True".equals(degraded.getStatus())
        && (wasDegraded == null
            || !"True".equals(wasDegraded.getStatus())
            || !Objects.equals(wasDegraded.getReason(), degraded.getReason()))
        && !EventReason.INVALID_SPEC.code().equals(degraded.getReason())) {
      out.add(new Change("Warning", degraded.getReason(), degraded.getMessage()));
    }
    String phase = after.phase();
    if (phase != null && (before == null || !phase.equals(before.phase()))) {
      boolean bad = "Failed".equals(phase);
      out.add(
          new Change(
              bad ? "Warning" : "Normal",
              after.reason() == null ? phase : after.reason(),
              "the sweep is "
                  + phase
                  + (after.reason() == null ? "" : " (" + after.reason() + ")")));
    }
    return out;
  }

  /**
   * How many attempts started between two statuses, from the counts alone: what is active now
   * (queued or running) or ended since (succeeded, failed, stopped early) beyond what was. A round
   * in which two trials end and two start launched two, though the active count did not change. A
   * failed attempt relaunched within one round is a retry, not counted here.
   */
  static int launched(SweepStatus.Counts was, SweepStatus.Counts now) {
    return Math.max(0, launchedSoFar(now) - (was == null ? 0 : launchedSoFar(was)));
  }

  private static int launchedSoFar(SweepStatus.Counts c) {
    return c.queued() + c.running() + c.succeeded() + c.failed() + c.earlyStopped();
  }

  private static Condition condition(SweepStatus s, String type) {
    if (s == null || s.conditions() == null) {
      return null;
    }
    return s.conditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private void post(Sweep sweep, Change c) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Event e =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                sweep.getMetadata().getName()
                    + "."
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()))
            .withNamespace(sweep.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(sweep.getApiVersion())
                    .withKind(sweep.getKind())
                    .withName(sweep.getMetadata().getName())
                    .withNamespace(sweep.getMetadata().getNamespace())
                    .withUid(sweep.getMetadata().getUid())
                    .build())
            .withType(c.type())
            .withReason(c.reason())
            .withMessage(c.message())
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(sweep.getMetadata().getNamespace()).resource(e).create();
    } catch (KubernetesClientException x) {
      LOG.warning(
          "event "
              + c.reason()
              + " on sweep "
              + sweep.getMetadata().getName()
              + " not recorded: "
              + x.getMessage());
    }
  }
}
