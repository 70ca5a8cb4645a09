package dev.dkssweep.operator.execution.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.execution.AttemptObservation;
import dev.dkssweep.sweep.execution.AttemptState;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialKey;
import dev.dkssweep.sweep.store.TestSummaries;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobStateMapperTest {

  static final TrialKey KEY = new TrialKey("uid-1", 7, 2);
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Duration START = Duration.ofMinutes(10);
  static final String SUMMARY =
      ProtocolJson.write(TestSummaries.succeeded("uid-1-7", 2, 0.9, 0.91));

  static Job job(boolean suspend, String conditionType, String reason) {
    JobBuilder b =
        new JobBuilder()
            .withNewMetadata()
            .withName("deep-t7-a2")
            .withNamespace("research")
            .addToLabels(WorkloadNames.SWEEP_UID, "uid-1")
            .addToLabels(WorkloadNames.TRIAL, "7")
            .addToLabels(WorkloadNames.ATTEMPT, "2")
            .endMetadata()
            .withNewSpec()
            .withSuspend(suspend)
            .endSpec();
    if (conditionType != null) {
      b.withNewStatus()
          .addNewCondition()
          .withType(conditionType)
          .withStatus("True")
          .withReason(reason)
          .withMessage("m")
          .endCondition()
          .endStatus();
    }
    return b.build();
  }

  static PodBuilder pod(String phase) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("deep-t7-a2-abcde")
        .withCreationTimestamp(T0.toString())
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .endStatus();
  }

  static Pod terminated(int code, String reason, String message) {
    return pod(code == 0 ? "Succeeded" : "Failed")
        .editStatus()
        .addNewContainerStatus()
        .withName("trainer")
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .withReason(reason)
        .withMessage(message)
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  static Pod waiting(String reason) {
    return pod("Pending")
        .editStatus()
        .addNewContainerStatus()
        .withName("trainer")
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage("back-off pulling image")
        .endWaiting()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }

  static AttemptObservation observe(Job job, List<Pod> pods, Instant now) {
    return JobStateMapper.observe(KEY, job, pods, now, START);
  }

  @Test
  void theKeyComesFromTheLabels() {
    assertThat(JobStateMapper.key(job(false, null, null))).contains(KEY);
    assertThat(JobStateMapper.key(new JobBuilder().withNewMetadata().endMetadata().build()))
        .isEmpty();
  }

  @Test
  void aSuspendedOrPodlessJobIsPending() {
    assertThat(observe(job(true, null, null), List.of(), T0).state())
        .isEqualTo(AttemptState.PENDING);
    assertThat(observe(job(false, null, null), List.of(), T0).state())
        .isEqualTo(AttemptState.PENDING);
    AttemptObservation requeued =
        observe(job(true, null, null), List.of(pod("Running").build()), T0);
    assertThat(requeued.state())
        .as("suspended again after it ran: requeued")
        .isEqualTo(AttemptState.PENDING);
  }

  @Test
  void aRunningPodIsRunningAndNamesThePod() {
    AttemptObservation o = observe(job(false, null, null), List.of(pod("Running").build()), T0);
    assertThat(o.state()).isEqualTo(AttemptState.RUNNING);
    assertThat(o.worker()).isEqualTo("pod/research/deep-t7-a2-abcde");
  }

  @Test
  void aCompleteJobExitedZeroWithTheSummaryFromTheTerminationMessage() {
    AttemptObservation o =
        observe(job(false, "Complete", null), List.of(terminated(0, "Completed", SUMMARY)), T0);
    assertThat(o.state()).isEqualTo(AttemptState.EXITED);
    assertThat(o.exit().exitCode()).isZero();
    assertThat(o.exit().termination()).isEqualTo(AttemptExit.Termination.EXITED);
    assertThat(o.exit().summary()).isNotNull();
    assertThat(o.exit().summary().trialId()).isEqualTo("uid-1-7");
  }

  @Test
  void aFailedJobCarriesTheTrainersExitCode() {
    for (int code : new int[] {1, 3, 4, 137, 143}) {
      AttemptObservation o =
          observe(
              job(false, "Failed", "PodFailurePolicy"),
              List.of(terminated(code, "Error", "boom")),
              T0);
      assertThat(o.exit().exitCode()).isEqualTo(code);
      assertThat(o.exit().termination()).isEqualTo(AttemptExit.Termination.EXITED);
      assertThat(o.exit().summary()).as("not a summary").isNull();
      assertThat(o.exit().logTail()).isEqualTo("boom");
    }
  }

  @Test
  void anOomKillIsNamed() {
    AttemptObservation o =
        observe(
            job(false, "Failed", "BackoffLimitExceeded"),
            List.of(terminated(137, "OOMKilled", "")),
            T0);
    assertThat(o.exit().termination()).isEqualTo(AttemptExit.Termination.OOM_KILLED);
  }

  @Test
  void aDeadlineIsNamed() {
    AttemptObservation o = observe(job(false, "Failed", "DeadlineExceeded"), List.of(), T0);
    assertThat(o.exit().termination()).isEqualTo(AttemptExit.Termination.DEADLINE_EXCEEDED);
    assertThat(o.exit().detail()).startsWith("DeadlineExceeded");
  }

  @Test
  void aFailedJobWithoutPodsStillEnds() {
    AttemptObservation o = observe(job(false, "Failed", "BackoffLimitExceeded"), List.of(), T0);
    assertThat(o.state()).isEqualTo(AttemptState.EXITED);
    assertThat(o.exit().exitCode()).isEqualTo(-1);
  }

  @Test
  void anImagePullErrorEndsTheAttemptOnlyAfterTheStartTimeout() {
    Pod p = waiting("ImagePullBackOff");
    AttemptObservation before = observe(job(false, null, null), List.of(p), T0.plusSeconds(60));
    assertThat(before.state()).isEqualTo(AttemptState.PENDING);
    assertThat(before.waiting())
        .as("why it waits, for the Degraded condition")
        .startsWith("ImagePullBackOff");
    AttemptObservation o =
        observe(job(false, null, null), List.of(p), T0.plus(START).plusSeconds(1));
    assertThat(o.state()).isEqualTo(AttemptState.EXITED);
    assertThat(o.waiting()).isNull();
    assertThat(o.exit().termination()).isEqualTo(AttemptExit.Termination.NOT_STARTED);
    assertThat(o.exit().detail())
        .isEqualTo("never started in 10 min: ImagePullBackOff (back-off pulling image)");
  }

  @Test
  void anUnschedulablePodEndsTheAttemptAfterTheStartTimeout() {
    Pod p =
        pod("Pending")
            .editStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes have nvidia.com/gpu")
            .endCondition()
            .endStatus()
            .build();
    assertThat(observe(job(false, null, null), List.of(p), T0).waiting())
        .isEqualTo("Unschedulable (0/3 nodes have nvidia.com/gpu)");
    AttemptObservation o =
        observe(job(false, null, null), List.of(p), T0.plus(START).plusSeconds(1));
    assertThat(o.exit().termination()).isEqualTo(AttemptExit.Termination.NOT_STARTED);
    assertThat(o.exit().detail())
        .isEqualTo("never started in 10 min: Unschedulable (0/3 nodes have nvidia.com/gpu)");
  }

  @Test
  void aPodWaitingForItsImageToDownloadIsPendingWithNothingWrong() {
    AttemptObservation o =
        observe(job(false, null, null), List.of(waiting("ContainerCreating")), T0.plus(START));
    assertThat(o.state()).isEqualTo(AttemptState.PENDING);
    assertThat(o.waiting()).isNull();
  }

  @Test
  void aDisruptedPodsExitIsNotTheAttempts() {
    Pod evicted =
        new PodBuilder(terminated(143, "Error", "evicted"))
            .editStatus()
            .addNewCondition()
            .withType("DisruptionTarget")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    Pod next = terminated(0, "Completed", SUMMARY);
    AttemptObservation o = observe(job(false, "Complete", null), List.of(evicted, next), T0);
    assertThat(o.exit().exitCode()).isZero();
    assertThat(o.exit().summary()).isNotNull();
  }
}
