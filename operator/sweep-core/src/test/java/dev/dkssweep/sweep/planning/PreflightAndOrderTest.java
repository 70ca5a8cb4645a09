package dev.dkssweep.sweep.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.model.Cell;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.LaunchOrder;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.Architecture;
import dev.dkssweep.sweep.protocol.Method;
import dev.dkssweep.sweep.protocol.TrialSpec;
import dev.dkssweep.sweep.protocol.TrialSpecValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightAndOrderTest {

  static SweepDefinition spec(String extra) {
    return SweepDocuments.read(
            """
            objective: {metric: val_accuracy, goal: maximize}
            space:
              method: [dks, tat, standard]
              activation: [tanh, relu]
              depth: [8, 40]
              learningRate: {logRange: {min: 0.001, max: 0.1, count: 3}}
              seeds: 2
            """
                + extra,
            "t")
        .definition();
  }

  @Test
  void gridExpandsInNestingOrderWithExclusionsAndBaselines() {
    SweepDefinition s = spec("baselines: [resnet-bn]\n");
    List<Cell> cells = CellExpander.expand(s);
    assertThat(cells).hasSize(2 * 2 * 4 * 3);
    assertThat(s.space().learningRates().values()).containsExactly(0.001, 0.01, 0.1);
    assertThat(cells.get(0).label()).isEqualTo("dks tanh d8 w128 lr0.001");
    assertThat(cells.get(3).arm()).isEqualTo("tat");
    Cell baseline = cells.get(9);
    assertThat(baseline.arm()).isEqualTo("resnet-bn");
    assertThat(baseline.architecture()).isEqualTo(Architecture.RESNET_BN);
    assertThat(baseline.method()).isEqualTo(Method.STANDARD);
    assertThat(cells)
        .extracting(Cell::index)
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, cells.size()).boxed().toList());
  }

  @Test
  void exclusionsRemoveMatchingCells() {
    SweepDefinition s =
        SweepDocuments.read(
                """
                objective: {metric: val_accuracy, goal: maximize}
                space:
                  method: [dks, tat]
                  activation: [tanh, relu]
                  depth: [8, 40]
                  learningRate: [0.01, 0.1]
                  exclude: [{method: tat, activation: relu}, {depth: 40, learningRate: 0.1}]
                """,
                "t")
            .definition();
    List<Cell> cells = CellExpander.expand(s);
    assertThat(cells).noneMatch(c -> c.arm().equals("tat") && c.activation().equals("relu"));
    assertThat(cells).noneMatch(c -> c.depth() == 40 && c.learningRate() == 0.1);
    assertThat(cells).hasSize(16 - 4 - 3);
  }

  @Test
  void randomSamplingIsSeededAndDistinct() {
    SweepDefinition s = spec("strategy: {type: random, samples: 10, seed: 42}\n");
    List<Cell> a = CellExpander.expand(s);
    assertThat(a).hasSize(10).doesNotHaveDuplicates();
    assertThat(CellExpander.expand(s)).isEqualTo(a);
    assertThat(a).allSatisfy(c -> assertThat(c.learningRate()).isBetween(0.001, 0.1));
    assertThat(CellExpander.expand(spec("strategy: {type: random, samples: 10, seed: 43}\n")))
        .isNotEqualTo(a);
  }

  @Test
  void preflightSolvesEachDistinctShapingAndSkipsWhatCannotBeShaped() {
    SweepDefinition s = spec("baselines: [resnet-bn]\n");
    List<Cell> cells = CellExpander.expand(s);
    List<Preflight.CellResult> results = new Preflight().run(s, cells);
    assertThat(results).hasSize(cells.size());
    for (Cell c : cells) {
      Preflight.CellResult r = results.get(c.index());
      assertThat(r.cellIndex()).isEqualTo(c.index());
      switch (c.arm()) {
        case "dks" -> {
          assertThat(r.feasible()).isTrue();
          // DKS: network C'(1) = zeta, local Q(1) = 1, C(0) = 0
          assertThat(r.diagnostics().networkCSlopeAt1()).isCloseTo(1.5, within(1e-6));
          assertThat(r.diagnostics().localQAt1()).isCloseTo(1, within(1e-6));
          assertThat(r.diagnostics().curves().c()).hasSize(Preflight.CURVE_POINTS);
        }
        case "tat" -> {
          if (c.activation().equals("relu")) {
            assertThat(r.feasible()).isFalse();
            assertThat(r.reason()).startsWith("tat: ").contains("relu");
          } else {
            assertThat(r.feasible()).isTrue();
            assertThat(r.diagnostics().networkCCurvAt1()).isCloseTo(0.3, within(1e-6));
          }
        }
        case "standard" -> {
          assertThat(r.feasible()).isTrue();
          assertThat(r.transform()).isEqualTo(new Preflight.Transform(1, 0, 1, 0, null));
          // ReLU's phi' jumps: its C''(1), local and network, is infinite (docs/maths.md 5.6)
          boolean relu = c.activation().equals("relu");
          assertThat(Double.isInfinite(r.diagnostics().localCCurvAt1())).isEqualTo(relu);
          assertThat(Double.isInfinite(r.diagnostics().networkCCurvAt1())).isEqualTo(relu);
        }
        default -> {
          assertThat(c.arm()).isEqualTo("resnet-bn");
          assertThat(r.feasible()).isTrue();
          assertThat(r.diagnostics()).isNull();
        }
      }
    }
  }

  @Test
  void distinctShapingsSolvedInParallelMatchEachCellShapedAloneAndInitialisationsShareOne() {
    SweepDefinition s =
        SweepDocuments.read(
                """
                objective: {metric: val_accuracy, goal: maximize}
                space:
                  method: [dks, tat, standard, orthogonal]
                  activation: [tanh, softplus, relu]
                  depth: [8, 40]
                  width: [16, 32]
                  learningRate: [0.01]
                """,
                "t")
            .definition();
    List<Cell> cells = CellExpander.expand(s);
    List<Preflight.CellResult> all = new Preflight().run(s, cells);
    for (Cell c : cells) {
      Preflight.CellResult alone = new Preflight().run(s, List.of(c)).get(0);
      assertThat(all.get(c.index()))
          .as(
              "cell %d (%s %s %d) as when shaped alone",
              c.index(), c.arm(), c.activation(), c.depth())
          .usingRecursiveComparison()
          .isEqualTo(alone);
    }
    for (Cell standard : cells) {
      if (!standard.arm().equals("standard")) {
        continue;
      }
      for (Cell other : cells) {
        if (other.activation().equals(standard.activation()) && other.depth() == standard.depth()) {
          if (other.arm().equals("orthogonal") || other.arm().equals("standard")) {
            assertThat(all.get(other.index()).diagnostics())
                .as("standard and orthogonal initialisation share one untransformed shaping")
                .isSameAs(all.get(standard.index()).diagnostics());
          }
        }
      }
    }
  }

  @Test
  void launchOrderIsSeedMajorAndCanPutTheMostTrainableCellsFirst() {
    SweepDefinition s = spec("");
    List<Cell> cells = CellExpander.expand(s);
    List<Preflight.CellResult> pre = new Preflight().run(s, cells);
    List<Integer> listed = LaunchOrders.of(cells, pre, 2, LaunchOrder.AS_LISTED);
    long feasible = pre.stream().filter(Preflight.CellResult::feasible).count();
    assertThat(listed).hasSize((int) feasible * 2).doesNotHaveDuplicates();
    assertThat(listed.subList(0, (int) feasible)).allMatch(t -> t % 2 == 0);
    assertThat(listed.get(0)).isEqualTo(LaunchOrders.trialIndex(0, 0, 2));

    List<Integer> ranked = LaunchOrders.of(cells, pre, 2, LaunchOrder.PREDICTED_TRAINABILITY);
    assertThat(ranked).containsExactlyInAnyOrderElementsOf(listed);
    double first = pre.get(ranked.get(0) / 2).diagnostics().degeneracy();
    double last = pre.get(ranked.get((int) feasible - 1) / 2).diagnostics().degeneracy();
    assertThat(first).isLessThanOrEqualTo(last);
    // a deep standard tanh network is more degenerate than the DKS one at the same depth
    Cell dks40 =
        cells.stream()
            .filter(c -> c.arm().equals("dks") && c.depth() == 40)
            .findFirst()
            .orElseThrow();
    Cell std40 =
        cells.stream()
            .filter(
                c -> c.arm().equals("standard") && c.depth() == 40 && c.activation().equals("tanh"))
            .findFirst()
            .orElseThrow();
    assertThat(pre.get(dks40.index()).diagnostics().degeneracy())
        .isLessThan(pre.get(std40.index()).diagnostics().degeneracy());
  }

  @Test
  void trialSpecsOfEveryCellAreValidTrainerInput() {
    SweepDefinition s = spec("baselines: [resnet-bn]\n");
    for (Cell c : CellExpander.expand(s)) {
      TrialSpec t =
          TrialSpecs.of(
              s,
              new TrialSpec.SweepRef("local", "t", "uid-1"),
              c,
              LaunchOrders.trialIndex(c.index(), 1, 2),
              1,
              LaunchOrders.seed(1),
              "http://127.0.0.1:8080/api/ingest",
              "tok",
              "/tmp/x");
      List<?> v = TrialSpecValidator.validate(t);
      if (c.arm().equals("tat") && c.activation().equals("relu")) {
        assertThat(v).isNotEmpty();
      } else {
        assertThat(v).as(c.label()).isEmpty();
      }
      assertThat(t.seed()).isEqualTo(2);
      assertThat(t.optimisation().learningRate()).isEqualTo(c.learningRate());
    }
  }

  @Test
  void theBaselineOfAConvolutionalSweepIsAConvolutionalResnet() {
    SweepDefinition s = spec("architecture: cnn\nbaselines: [resnet-bn]\n");
    List<Cell> cells = CellExpander.expand(s);
    Cell baseline =
        cells.stream().filter(c -> c.arm().equals("resnet-bn")).findFirst().orElseThrow();
    Cell dks = cells.stream().filter(c -> c.arm().equals("dks")).findFirst().orElseThrow();
    TrialSpec.SweepRef ref = new TrialSpec.SweepRef("local", "t", "uid-1");
    TrialSpec b = TrialSpecs.of(s, ref, baseline, 0, 1, 1, null, null, null);
    TrialSpec d = TrialSpecs.of(s, ref, dks, 0, 1, 1, null, null, null);
    assertThat(b.model().architecture()).isEqualTo(Architecture.RESNET_BN);
    assertThat(b.model().base()).isEqualTo(Architecture.CNN);
    assertThat(b.model().layers()).isEqualTo(Architecture.CNN);
    assertThat(d.model().architecture()).isEqualTo(Architecture.CNN);
    assertThat(d.model().base()).isNull();
    assertThat(TrialSpecValidator.validate(b)).isEmpty();
  }

  @Test
  void seedAggregatesUseTheSampleStandardDeviation() {
    SeedAggregate a = SeedAggregate.of(3, List.of(0.8, 0.9, 1.0), 1, 0);
    assertThat(a.mean()).isCloseTo(0.9, within(1e-12));
    assertThat(a.std()).isCloseTo(0.1, within(1e-12));
    assertThat(a.format()).isEqualTo("0.9000 ± 0.1000 (n=3, 1 diverged)");
    assertThat(SeedAggregate.of(0, List.of(0.5), 0, 0).std()).isZero();
    assertThat(SeedAggregate.of(0, List.of(), 2, 1).format()).isEqualTo("- (2 diverged, 1 failed)");
  }
}
