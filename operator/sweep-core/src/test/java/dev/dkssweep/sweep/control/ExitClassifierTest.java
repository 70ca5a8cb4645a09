package dev.dkssweep.sweep.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dkssweep.sweep.execution.AttemptExit;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.lifecycle.FailureKind;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way an attempt can end, and what it means for its trial. */
class ExitClassifierTest {

  static final String LOG = "loading data\nerror: cannot allocate the network\nbye";

  static AttemptExit code(int code, String message) {
    TrialSummary s =
        message == null
            ? null
            : new TrialSummary(
                "u-0", 1, TrialStatus.FAILED, Map.of(), Map.of(), 0, 0, 0, null, null, message, 0);
    return AttemptExit.of(code, s, LOG, List.of());
  }

  static AttemptExit ended(AttemptExit.Termination t, String detail) {
    return new AttemptExit(137, t, detail, null, "", List.of());
  }

  static Stream<Arguments> exits() {
    return Stream.of(
        Arguments.of(code(0, null), TrialState.SUCCEEDED, null, null),
        Arguments.of(
            code(3, "loss is NaN at step 12"),
            TrialState.DIVERGED,
            FailureKind.DIVERGED,
            "loss is NaN at step 12"),
        Arguments.of(code(3, null), TrialState.DIVERGED, FailureKind.DIVERGED, "non-finite loss"),
        Arguments.of(
            code(143, null), TrialState.STOPPED, null, "stopped from outside the runner (SIGTERM)"),
        Arguments.of(
            code(4, "model.depth: must be <= 10000"),
            TrialState.FAILED,
            FailureKind.INVALID_SPEC,
            "invalid trial spec: exit code 4: model.depth: must be <= 10000"),
        Arguments.of(
            code(1, "out of memory (Java heap space): give the trainer more"),
            TrialState.FAILED,
            FailureKind.ERROR,
            "exit code 1: out of memory (Java heap space): give the trainer more"),
        Arguments.of(
            code(1, null),
            TrialState.FAILED,
            FailureKind.ERROR,
            "exit code 1: error: cannot allocate the network"),
        Arguments.of(
            code(137, null),
            TrialState.FAILED,
            FailureKind.KILLED,
            "exit code 137: killed by signal 9 (SIGKILL)"),
        Arguments.of(
            code(139, null),
            TrialState.FAILED,
            FailureKind.KILLED,
            "exit code 139: killed by signal 11 (SIGSEGV)"),
        Arguments.of(
            code(2, null),
            TrialState.FAILED,
            FailureKind.ERROR,
            "exit code 2: error: cannot allocate the network"),
        Arguments.of(
            ended(AttemptExit.Termination.DISRUPTED, "preempted by a higher priority"),
            TrialState.STOPPED,
            null,
            "disrupted (preempted by a higher priority); another attempt runs it"),
        Arguments.of(
            ended(AttemptExit.Termination.DEADLINE_EXCEEDED, "after 3600 s"),
            TrialState.FAILED,
            FailureKind.DEADLINE_EXCEEDED,
            "ran past its deadline (after 3600 s)"),
        Arguments.of(
            ended(AttemptExit.Termination.NOT_STARTED, "ErrImagePull: no such image"),
            TrialState.FAILED,
            FailureKind.LAUNCH_FAILED,
            "could not start (ErrImagePull: no such image)"));
  }

  @ParameterizedTest(name = "{1} {3}")
  @MethodSource("exits")
  void classifiesEveryExit(AttemptExit exit, TrialState state, FailureKind kind, String reason) {
    AttemptOutcome o = ExitClassifier.classify(exit);
    assertThat(o.state()).isEqualTo(state);
    assertThat(o.failureKind()).isEqualTo(kind);
    assertThat(o.reason()).isEqualTo(reason);
    assertThat(o.eventType())
        .isEqualTo(state == TrialState.FAILED ? EventType.WARNING : EventType.NORMAL);
  }

  @Test
  void anOomKillSaysWhatToChange() {
    AttemptOutcome o = ExitClassifier.classify(ended(AttemptExit.Termination.OOM_KILLED, null));
    assertThat(o.state()).isEqualTo(TrialState.FAILED);
    assertThat(o.failureKind()).isEqualTo(FailureKind.OUT_OF_MEMORY);
    assertThat(o.reason())
        .startsWith("out of memory: the trainer exceeded its memory limit")
        .contains("trainer.resources.memory")
        .contains("-Xmx in trainer.jvmOptions");
  }

  @Test
  void onlyARefusedSpecIsPermanent() {
    assertThat(FailureKind.values())
        .filteredOn(FailureKind::permanent)
        .containsExactly(FailureKind.INVALID_SPEC);
  }

  @Test
  void aSilentFailureSaysSo() {
    assertThat(ExitClassifier.classify(AttemptExit.of(1, null, "", List.of())).reason())
        .isEqualTo("exit code 1: no output");
  }
}
