package dev.dkssweep.trainer.dl4j;

import dev.dkssweep.sweep.protocol.Optimizer;
import dev.dkssweep.sweep.protocol.Schedule;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/** Learning-rate schedules and optimisers of the trial protocol, as DL4J updaters. */
public final class Schedules {

  private Schedules() {}

  /**
   * @param totalSteps planned optimiser steps (for cosine and step schedules)
   */
  public static IUpdater updater(
      Optimizer optimizer, double lr, Schedule schedule, long totalSteps) {
    ISchedule s = schedule(schedule, lr, totalSteps);
    return switch (optimizer) {
      case SGD -> new Sgd(s);
      case MOMENTUM -> new Nesterovs(s, 0.9);
      case ADAM -> new Adam(s);
    };
  }

  static ISchedule schedule(Schedule schedule, double lr, long totalSteps) {
    return switch (schedule) {
      case CONSTANT -> new MapSchedule(ScheduleType.ITERATION, java.util.Map.of(0, lr));
      case COSINE -> new Cosine(lr, Math.max(1, totalSteps));
      case STEP -> new StepSchedule(ScheduleType.ITERATION, lr, 0.1, Math.max(1, totalSteps / 3.0));
    };
  }

  /** lr * (1 + cos(pi * t / T)) / 2, then 0 after T steps. */
  public static final class Cosine implements ISchedule {
    private static final long serialVersionUID = 1L;
    @JsonProperty private double initial;
    @JsonProperty private long total;

    public Cosine() {}

    Cosine(double initial, long total) {
      this.initial = initial;
      this.total = total;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
      double t = Math.min(1, iteration / (double) total);
      return initial * (1 + Math.cos(Math.PI * t)) / 2;
    }

    @Override
    public ISchedule clone() {
      return new Cosine(initial, total);
    }
  }
}
