package dev.dkssweep.operator.local;

import dev.dkssweep.sweep.control.SweepStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The progress line of a local run: redrawn in place on a terminal; otherwise printed when
 * something other than the clock changed, or once a minute.
 */
final class ConsoleProgress implements Consumer<SweepStatus> {

  private final PrintStream out;
  private final String metric;
  private final Clock clock;
  private final boolean terminal;
  private String last = "";
  private long lastPrint;

  ConsoleProgress(PrintStream out, String metric, Clock clock, boolean terminal) {
    this.out = out;
    this.metric = metric;
    this.clock = clock;
    this.terminal = terminal;
  }

  @Override
  public void accept(SweepStatus status) {
    String line = Progress.of(status, clock.instant()).line(metric);
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
      out.flush();
      last = line;
      return;
    }
    String key = line.replaceAll(" \\| \\d.*$", "");
    long now = clock.millis();
    if (!key.equals(last) || now - lastPrint > 60_000) {
      out.println(line);
      last = key;
      lastPrint = now;
    }
  }
}
