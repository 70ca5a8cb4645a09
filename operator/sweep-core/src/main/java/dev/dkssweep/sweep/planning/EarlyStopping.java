package dev.dkssweep.sweep.planning;

import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.SweepDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The early-stopping rules, as pure functions of the trials' per-epoch objective values.
 *
 * <ul>
 *   <li><b>median</b> (Golovin et al. 2017, as in Katib): at epoch e >= gracePeriod, stop a trial
 *       whose best value so far is strictly worse than the median of the running averages (over
 *       epochs 1..e) of the other trials that reached epoch e; needs minTrials of them.
 *   <li><b>asha</b> (Li et al. 2020, the stopping form of Ray Tune's ASHA): rungs at epochs
 *       gracePeriod * reductionFactor^k below the last epoch; a trial reaching a rung is stopped
 *       when its value is worse than the (1 - 1/reductionFactor) quantile of the values recorded at
 *       that rung before it (by report time, then trial index). The first trial at a rung always
 *       continues. Decisions depend only on what was reported before, so they never change later.
 * </ul>
 */
public final class EarlyStopping {

  private EarlyStopping() {}

  /** The reason to stop {@code trial} now, if a rule says so. */
  public static Optional<String> decide(
      TrialView trial, List<TrialView> all, PlannerPolicy policy) {
    SweepDefinition.EarlyStopping es = policy.earlyStopping();
    return switch (es.rule()) {
      case NONE -> Optional.empty();
      case MEDIAN -> median(trial, all, policy);
      case ASHA -> asha(trial, all, policy);
    };
  }

  static Optional<String> median(TrialView trial, List<TrialView> all, PlannerPolicy policy) {
    SweepDefinition.EarlyStopping es = policy.earlyStopping();
    int e = trial.latestEpoch();
    if (e < es.gracePeriod()) {
      return Optional.empty();
    }
    List<Double> averages = new ArrayList<>();
    for (TrialView other : all) {
      if (other.index() == trial.index()
          || other.state() == TrialState.SKIPPED
          || other.latestEpoch() < e) {
        continue;
      }
      double sum = 0;
      int n = 0;
      for (EpochValue v : other.history()) {
        if (v.epoch() <= e) {
          sum += v.value();
          n++;
        }
      }
      averages.add(sum / n);
    }
    if (averages.size() < es.minTrials()) {
      return Optional.empty();
    }
    double median = quantile(averages, 0.5);
    double best = best(trial, e, policy.objective().goal());
    if (policy.objective().better(median, best)) {
      return Optional.of(
          String.format(
              "median rule at epoch %d: best %s %.6g is worse than the median %.6g of %d"
                  + " trials' running averages",
              e, policy.objective().metric(), best, median, averages.size()));
    }
    return Optional.empty();
  }

  static Optional<String> asha(TrialView trial, List<TrialView> all, PlannerPolicy policy) {
    SweepDefinition.EarlyStopping es = policy.earlyStopping();
    boolean max = policy.objective().goal() == Goal.MAXIMIZE;
    for (long rung = es.gracePeriod(); rung < policy.epochs(); rung *= es.reductionFactor()) {
      EpochValue mine = at(trial, (int) rung);
      if (mine == null) {
        break;
      }
      List<Double> before = new ArrayList<>();
      for (TrialView other : all) {
        if (other.index() == trial.index() || other.state() == TrialState.SKIPPED) {
          continue;
        }
        EpochValue theirs = at(other, (int) rung);
        if (theirs != null
            && (theirs.timeMillis() < mine.timeMillis()
                || (theirs.timeMillis() == mine.timeMillis() && other.index() < trial.index()))) {
          before.add(max ? theirs.value() : -theirs.value());
        }
      }
      if (before.isEmpty()) {
        continue;
      }
      double cutoff = quantile(before, 1 - 1.0 / es.reductionFactor());
      double value = max ? mine.value() : -mine.value();
      if (value < cutoff) {
        return Optional.of(
            String.format(
                "ASHA rung at epoch %d: %s %.6g is outside the top 1/%d of the %d trials"
                    + " recorded there before it (cutoff %.6g)",
                rung,
                policy.objective().metric(),
                mine.value(),
                es.reductionFactor(),
                before.size(),
                max ? cutoff : -cutoff));
      }
    }
    return Optional.empty();
  }

  /** The value at {@code epoch}: the last one reported at or before it, if the trial got there. */
  private static EpochValue at(TrialView t, int epoch) {
    if (t.latestEpoch() < epoch) {
      return null;
    }
    EpochValue found = null;
    for (EpochValue v : t.history()) {
      if (v.epoch() <= epoch) {
        found = v;
      }
    }
    return found;
  }

  private static double best(TrialView t, int upToEpoch, Goal goal) {
    double best = goal == Goal.MAXIMIZE ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    for (EpochValue v : t.history()) {
      if (v.epoch() <= upToEpoch) {
        best = goal == Goal.MAXIMIZE ? Math.max(best, v.value()) : Math.min(best, v.value());
      }
    }
    return best;
  }

  /** The linear-interpolation quantile (numpy's default) of {@code values}, p in [0, 1]. */
  static double quantile(List<Double> values, double p) {
    double[] x = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(x);
    double pos = p * (x.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, x.length - 1);
    return x[lo] + (pos - lo) * (x[hi] - x[lo]);
  }
}
