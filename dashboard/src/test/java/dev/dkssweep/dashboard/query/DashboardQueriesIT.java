package dev.dkssweep.dashboard.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.store.EmbeddedDatabase;
import dev.dkssweep.store.JdbcResultStore;
import dev.dkssweep.sweep.lifecycle.TrialState;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.protocol.MetricBatch;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.TrialStatus;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.TrialTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard queries on a fixture sweep written through the real store: methods dks and standard
 * x depths 10 and 50 x learning rates 1e-4 and 1e-3 x 3 seeds; trial 0 fails, trial 1 is still
 * running, every other trial ends with val_accuracy = objective(cell, seed).
 */
class DashboardQueriesIT {

  private static EmbeddedDatabase db;
  private static DashboardQueries queries;
  static final String[] METHODS = {"dks", "standard"};
  static final int[] DEPTHS = {10, 50};
  static final double[] RATES = {1e-4, 1e-3};

  /** dks beats standard, shallow beats deep, 1e-4 is best for dks and 1e-3 for standard. */
  static double objective(String method, int depth, double lr, int seed) {
    double base = method.equals("dks") ? 0.85 : 0.6;
    double lrBonus = (method.equals("dks") == (lr == 1e-4)) ? 0.05 : 0;
    return base + lrBonus - (depth == 50 ? 0.1 : 0) + 0.01 * seed;
  }

  @BeforeAll
  static void fixture() throws Exception {
    db = EmbeddedDatabase.start(null);
    JdbcResultStore store = new JdbcResultStore(db.dataSource());
    queries = new DashboardQueries(db.dataSource());
    store.recordSweep(
        new NewSweep("fx", "research", "<b>paper</b>", 1, "{}", "val_accuracy", Goal.MAXIMIZE));
    List<NewCell> cells = new ArrayList<>();
    List<NewTrial> trials = new ArrayList<>();
    int cell = 0;
    int trial = 0;
    for (String m : METHODS) {
      for (int d : DEPTHS) {
        for (double lr : RATES) {
          cells.add(
              new NewCell(
                  cell, m, "tanh", "mlp", d, 64, lr, "fashion-mnist", true, null, null, null));
          for (int seed = 0; seed < 3; seed++) {
            trials.add(new NewTrial(trial++, cell, seed));
          }
          cell++;
        }
      }
    }
    store.recordCells("fx", cells);
    store.recordTrials("fx", trials);
    for (NewTrial t : trials) {
      NewCell c = cells.get(t.cellIndex());
      long v =
          store.transition(
              "fx",
              t.trialIndex(),
              new TrialTransition(0, TrialState.RUNNING, 1, "p" + t.trialIndex(), null));
      if (t.trialIndex() == 1) {
        continue;
      }
      if (t.trialIndex() == 0) {
        store.transition("fx", 0, new TrialTransition(v, TrialState.FAILED, 1, null, "OOMKilled"));
        continue;
      }
      double acc = objective(c.method(), c.depth(), c.learningRate(), (int) t.seed());
      store.recordSummary(
          "fx",
          new TrialSummary(
              "fx-" + t.trialIndex(),
              1,
              TrialStatus.SUCCEEDED,
              Map.of("val_accuracy", acc),
              Map.of("val_accuracy", acc),
              100,
              1,
              1,
              null,
              null,
              null,
              0));
      store.transition(
          "fx", t.trialIndex(), new TrialTransition(v, TrialState.SUCCEEDED, 1, null, null));
    }
    List<MetricPoint> points = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      points.add(new MetricPoint(s, 0, "train_loss", 2.0 - s * 0.1, 0));
      points.add(new MetricPoint(s, 0, "val_accuracy", 0.5 + s * 0.01, 0));
    }
    store.appendMetrics(new MetricBatch("fx-1", 1, points));
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
  }

  @Test
  void sweepsListShowsProgressAndTheBestObjective() {
    List<SweepRow> rows = queries.sweeps(null, 10);
    assertThat(rows).hasSize(1);
    SweepRow r = rows.get(0);
    assertThat(r.name()).isEqualTo("<b>paper</b>");
    assertThat(r.trials()).isEqualTo(24);
    assertThat(r.finished())
        .as("every trial neither Pending nor Running, the failed one too")
        .isEqualTo(23);
    assertThat(r.running()).isEqualTo(1);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.best()).isCloseTo(objective("dks", 10, 1e-4, 2), within(1e-12));
    assertThat(queries.sweeps("elsewhere", 10)).isEmpty();
  }

  @Test
  void trialTableFiltersSortsAndPages() {
    TrialPage dks =
        queries.trials("fx", new TrialFilter(null, "dks", null, "objective", true, 0, 5));
    assertThat(dks.total()).isEqualTo(12);
    assertThat(dks.rows()).hasSize(5);
    assertThat(dks.rows().get(0).objective())
        .isCloseTo(objective("dks", 10, 1e-4, 2), within(1e-12));
    assertThat(dks.rows())
        .extracting(TrialRow::objective)
        .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    TrialPage last =
        queries.trials("fx", new TrialFilter(null, "dks", null, "objective", true, 10, 5));
    assertThat(last.rows()).hasSize(2);
    assertThat(last.rows().get(1).objective()).as("nulls last").isNull();
    TrialPage beyond = queries.trials("fx", new TrialFilter(null, null, null, null, false, 100, 5));
    assertThat(beyond.rows()).isEmpty();
    assertThat(beyond.total()).isEqualTo(24);
    TrialPage failed =
        queries.trials("fx", new TrialFilter("Failed", null, null, null, false, 0, 10));
    assertThat(failed.rows())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.trialIndex()).isZero();
              assertThat(t.failureReason()).isEqualTo("OOMKilled");
              assertThat(t.durationSeconds()).isNotNull().isGreaterThanOrEqualTo(0);
            });
  }

  @Test
  void badTableRequestsNameTheParameter() {
    assertThatThrownBy(
            () -> new TrialFilter(null, null, null, "name; DROP TABLE trials", false, 0, 10))
        .hasMessageStartingWith("sort:");
    assertThatThrownBy(() -> new TrialFilter(null, null, null, null, false, 0, 100_000))
        .hasMessageStartingWith("limit:");
    assertThatThrownBy(() -> new TrialFilter(null, null, null, null, false, -1, 10))
        .hasMessageStartingWith("offset:");
    assertThatThrownBy(() -> new TrialFilter("Sleeping", null, null, null, false, 0, 10))
        .hasMessageStartingWith("state:")
        .hasMessageContaining("EarlyStopped");
    assertThatThrownBy(() -> new TrialFilter(null, "'; --", null, null, false, 0, 10))
        .hasMessageStartingWith("method:")
        .hasMessageContaining("resnet-bn");
    assertThat(TrialFilter.STATES)
        .as("the filter knows every state the store writes")
        .containsExactlyElementsOf(
            java.util.Arrays.stream(TrialState.values()).map(TrialState::column).toList());
  }

  @Test
  void curvesAreThePointsOfTheCurrentAttemptInStepOrder() {
    List<CurvePoint> c = queries.curves("fx", 1, List.of("train_loss"));
    assertThat(c).hasSize(5);
    assertThat(c).extracting(CurvePoint::step).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(c.get(4).value()).isCloseTo(1.6, within(1e-12));
    assertThat(queries.curves("fx", 1, List.of("train_loss", "val_accuracy"))).hasSize(10);
    assertThat(queries.curves("fx", 2, List.of("train_loss"))).isEmpty();
  }

  @Test
  void cellAggregatesAreMeanStdAndCountOverSeeds() {
    List<CellAggregate> heat = queries.cells("fx", "dks", "tanh");
    assertThat(heat).hasSize(4);
    // cell 0 (dks, depth 10, lr 1e-4) holds trials 0 (failed), 1 (running) and 2: one seed
    CellAggregate first = heat.get(0);
    assertThat(first.n()).isEqualTo(1);
    assertThat(first.std()).as("no spread from one seed").isNull();
    // cell 1 (dks, depth 10, lr 1e-3): trials 3, 4, 5 with seeds 0, 1, 2
    CellAggregate second = heat.get(1);
    double[] v = {
      objective("dks", 10, 1e-3, 0), objective("dks", 10, 1e-3, 1), objective("dks", 10, 1e-3, 2)
    };
    double mean = (v[0] + v[1] + v[2]) / 3;
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    assertThat(second.n()).isEqualTo(3);
    assertThat(second.mean()).isCloseTo(mean, within(1e-12));
    assertThat(second.std()).isCloseTo(Math.sqrt(var / 2), within(1e-12));
    assertThat(queries.cells("fx", null, null)).hasSize(8);
  }

  @Test
  void paperTablePicksEachMethodsBestLearningRate() {
    List<CellAggregate> table = queries.paperTable("fx");
    assertThat(table).hasSize(4);
    for (CellAggregate row : table) {
      assertThat(row.learningRate()).isEqualTo(row.method().equals("dks") ? 1e-4 : 1e-3);
    }
    CellAggregate deepStandard =
        table.stream()
            .filter(r -> r.method().equals("standard") && r.depth() == 50)
            .findFirst()
            .orElseThrow();
    assertThat(deepStandard.n()).isEqualTo(3);
    assertThat(deepStandard.mean()).isCloseTo(objective("standard", 50, 1e-3, 1), within(1e-12));
  }
}
