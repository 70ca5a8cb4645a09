package dev.dkssweep.operator.local;

import dev.dkssweep.store.StoreException;
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
 * runs and it is Stopped, resumable. While the database is unavailable it says so once, retries
 * with a growing pause (at most {@link #MAX_BACKOFF}) and says when it is back.
 */
final class LocalDriver {

  static final Duration POLL = Duration.ofMillis(500);
  static final Duration SETTLE = Duration.ofSeconds(20);

  /** The longest pause between rounds while the database is unavailable. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

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
  private final Consumer<String> warnings;

  LocalDriver(
      SweepRound round, Clock clock, Consumer<SweepStatus> display, Consumer<String> warnings) {
    this.round = round;
    this.clock = clock;
    this.display = display;
    this.warnings = warnings;
  }

  Outcome drive(SweepRequest request, AtomicBoolean interrupt) {
    Instant ended = null;
    Instant outage = null;
    Duration backoff = POLL;
    while (true) {
      boolean stop = interrupt.get();
      SweepStatus s;
      try {
        s = round.run(stop ? request.suspended(INTERRUPTED) : request);
      } catch (StoreException e) {
        // the database went away: the trainers run on (they keep their points until it is back),
        // the round is tried again with a growing pause, and nothing is settled meanwhile
        if (outage == null) {
          outage = clock.instant();
          warnings.accept(
              "the database is unavailable ("
                  + rootMessage(e)
                  + "); trials keep running, retrying with backoff up to "
                  + MAX_BACKOFF.toSeconds()
                  + " s");
        }
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
        continue;
      }
      if (outage != null) {
        warnings.accept(
            "the database is back after "
                + Duration.between(outage, clock.instant()).toSeconds()
                + " s; carrying on");
        outage = null;
        backoff = POLL;
      }
      display.accept(s);
      if (s.phase().finished()) {
        ended = ended == null ? clock.instant() : ended;
        if (s.settled() || Duration.between(ended, clock.instant()).compareTo(SETTLE) > 0) {
          return s.phase() == SweepPhase.COMPLETE ? Outcome.COMPLETE : Outcome.FAILED;
        }
      } else if (stop && s.phase() == SweepPhase.STOPPED) {
        return Outcome.INTERRUPTED;
      }
      if (s.deferredLaunches() == 0) {
        sleep(POLL); // else the round left launches for the next one: at once
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return e.getMessage() + ": " + t.getMessage();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
