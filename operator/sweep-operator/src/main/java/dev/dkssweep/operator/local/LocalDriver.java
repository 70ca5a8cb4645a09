package dev.dkssweep.operator.local;

import dev.dkssweep.sweep.control.SweepRequest;
import dev.dkssweep.sweep.control.SweepRound;
import dev.dkssweep.sweep.control.SweepStatus;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.SweepPhase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Local mode's driver of the sweep round: runs a round every {@link #POLL} until the sweep ends,
 * then until what it stopped has exited (at most {@link #SETTLE}, so that their summaries are
 * recorded); once {@code interrupt} is set, the rounds suspend the sweep instead, until nothing
 * runs and it is Stopped, resumable.
 */
final class LocalDriver {

  static final Duration POLL = Duration.ofMillis(500);
  static final Duration SETTLE = Duration.ofSeconds(20);

  /** What Ctrl-C (or SIGTERM) does to the sweep. */
  static final SweepRequest.Suspension INTERRUPTED =
      new SweepRequest.Suspension(
          EventReason.INTERRUPTED, "stopped by the user; resumable", "interrupted (Ctrl-C)");

  /** How a run ended. */
  enum Outcome {
    COMPLETE,
    FAILED,
    INTERRUPTED
  }

  private final SweepRound round;
  private final Clock clock;
  private final Consumer<SweepStatus> display;

  LocalDriver(SweepRound round, Clock clock, Consumer<SweepStatus> display) {
    this.round = round;
    this.clock = clock;
    this.display = display;
  }

  Outcome drive(SweepRequest request, AtomicBoolean interrupt) {
    Instant ended = null;
    while (true) {
      boolean stop = interrupt.get();
      SweepStatus s = round.run(stop ? request.suspended(INTERRUPTED) : request);
      display.accept(s);
      if (s.phase().finished()) {
        ended = ended == null ? clock.instant() : ended;
        if (s.settled() || Duration.between(ended, clock.instant()).compareTo(SETTLE) > 0) {
          return s.phase() == SweepPhase.COMPLETE ? Outcome.COMPLETE : Outcome.FAILED;
        }
      } else if (stop && s.phase() == SweepPhase.STOPPED) {
        return Outcome.INTERRUPTED;
      }
      sleep(POLL);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
