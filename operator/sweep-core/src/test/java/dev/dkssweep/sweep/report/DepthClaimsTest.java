package dev.dkssweep.sweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DepthClaimsTest {

  static final String HEADER =
      "cell,method,activation,architecture,depth,width,learning_rate,dataset,val_accuracy_mean,"
          + "val_accuracy_std,n,diverged,failed,early_stopped,skipped,feasible,reason\n";

  /** Two depths, two learning rates; tat at depth 10 skipped by the preflight. */
  static final String CSV =
      HEADER
          + "0,dks,tanh,mlp,10,64,0.0001,fashion-mnist,0.80,0.01,2,0,0,0,0,true,\n"
          + "1,dks,tanh,mlp,10,64,0.01,fashion-mnist,0.85,0.01,2,0,0,0,0,true,\n"
          + "2,tat,tanh,mlp,10,64,0.0001,fashion-mnist,,,0,0,0,0,2,false,\"tat: eta 0.9, unreachable\"\n"
          + "3,tat,tanh,mlp,10,64,0.01,fashion-mnist,,,0,0,0,0,2,false,\"tat: eta 0.9, unreachable\"\n"
          + "4,standard,tanh,mlp,10,64,0.0001,fashion-mnist,0.82,0.02,2,0,0,0,0,true,\n"
          + "5,standard,tanh,mlp,10,64,0.01,fashion-mnist,0.70,0.02,2,0,0,0,0,true,\n"
          + "6,resnet-bn,tanh,resnet-bn,10,64,0.0001,fashion-mnist,0.86,0.01,2,0,0,0,0,true,\n"
          + "7,resnet-bn,tanh,resnet-bn,10,64,0.01,fashion-mnist,0.50,0.01,2,0,0,0,0,true,\n"
          + "8,dks,tanh,mlp,50,64,0.0001,fashion-mnist,0.84,0.01,2,0,0,0,0,true,\n"
          + "9,dks,tanh,mlp,50,64,0.01,fashion-mnist,0.30,0.05,2,0,0,0,0,true,\n"
          + "10,tat,tanh,mlp,50,64,0.0001,fashion-mnist,0.83,0.01,2,0,0,0,0,true,\n"
          + "11,tat,tanh,mlp,50,64,0.01,fashion-mnist,0.40,0.01,2,0,0,0,0,true,\n"
          + "12,standard,tanh,mlp,50,64,0.0001,fashion-mnist,0.11,0.01,2,0,0,0,0,true,\n"
          + "13,standard,tanh,mlp,50,64,0.01,fashion-mnist,0.12,0.01,2,0,0,0,0,true,\n"
          + "14,resnet-bn,tanh,resnet-bn,50,64,0.0001,fashion-mnist,0.90,0.005,2,0,0,0,0,true,\n"
          + "15,resnet-bn,tanh,resnet-bn,50,64,0.01,fashion-mnist,0.60,0.01,2,0,0,0,0,true,\n";

  /** Degeneracy per cell: the shaped networks near the identity, standard depth 50 collapsed. */
  static final Map<Integer, DepthClaims.Kernel> KERNELS =
      Map.ofEntries(
          Map.entry(0, new DepthClaims.Kernel(1.5, 0, 0.41)),
          Map.entry(1, new DepthClaims.Kernel(1.5, 0, 0.41)),
          Map.entry(4, new DepthClaims.Kernel(5.1, 0, 1.64)),
          Map.entry(5, new DepthClaims.Kernel(5.1, 0, 1.64)),
          Map.entry(8, new DepthClaims.Kernel(1.5, 0, 0.41)),
          Map.entry(9, new DepthClaims.Kernel(1.5, 0, 0.41)),
          Map.entry(10, new DepthClaims.Kernel(1.0, 0.13, 0.14)),
          Map.entry(11, new DepthClaims.Kernel(1.0, 0.13, 0.14)),
          Map.entry(12, new DepthClaims.Kernel(3579, 0, 8.18)),
          Map.entry(13, new DepthClaims.Kernel(3579, 0, 8.18)));

  static DepthClaims claims(String csv) throws IOException {
    return new DepthClaims(ResultsCsv.read(new StringReader(csv)), KERNELS::get, 0.1, true);
  }

  @Test
  void picksEachArmsBestLearningRateAndKeepsItsSpreadAndKernel() throws IOException {
    DepthClaims c = claims(CSV);
    DepthClaims.Best dks10 = c.best("dks", "tanh", 10).orElseThrow();
    assertThat(dks10.learningRate()).isEqualTo(0.01);
    assertThat(dks10.mean()).isEqualTo(0.85);
    assertThat(dks10.std()).isEqualTo(0.01);
    assertThat(dks10.n()).isEqualTo(2);
    assertThat(dks10.kernel().degeneracy()).isEqualTo(0.41);
    assertThat(c.best("dks", "tanh", 50).orElseThrow().learningRate()).isEqualTo(0.0001);
    assertThat(c.best("resnet-bn", "tanh", 50).orElseThrow().kernel()).isNull();
    assertThat(c.best("tat", "tanh", 10)).isEmpty();
    assertThat(c.depths()).containsExactly(10, 50);
  }

  @Test
  void chanceIsWithinFivePointsOfGuessing() throws IOException {
    DepthClaims c = claims(CSV);
    assertThat(c.atChance(c.best("standard", "tanh", 50).orElseThrow())).isTrue();
    assertThat(c.atChance(c.best("standard", "tanh", 10).orElseThrow())).isFalse();
  }

  @Test
  void writesTheTableAndEveryClaimsVerdictFromTheNumbers() throws IOException {
    String md = claims(CSV).markdown();
    assertThat(md)
        .contains(
            "| tanh | dks | 0.850 ± 0.010 (n=2, lr 0.010) | 0.840 ± 0.010 (n=2, lr 0.00010) |")
        .contains("| tanh | tat | not run (skipped by the preflight) | 0.830 ± 0.010")
        .contains(
            "| tanh | standard | 0.820 ± 0.020 (n=2, lr 0.00010) | 0.120 ± 0.010 (n=2, lr 0.010, at chance) |")
        // unshaped: fails at depth 50 only
        .contains("1 of 1 unshaped (method, activation) pairs end at chance at some depth")
        .contains("- standard tanh: at chance at depth 50, trains at depth 10")
        // shaped: dks falls 1 point (flat), tat only ran at 50
        .contains("- dks tanh: 0.850 ± 0.010 at depth 10, 0.840 ± 0.010 at depth 50: flat")
        .contains("- tat tanh: 0.830 ± 0.010 at depth 50 (the shallowest that ran)")
        // baseline: level at 10 (1 point apart, 2 SE of the difference is 2 points), behind at 50
        .contains("| tanh | 10 | dks 0.850 ± 0.010 | 0.860 ± 0.010 | -1.0 ± 2.0 pts | level |")
        .contains(
            "| tanh | 50 | dks 0.840 ± 0.010 | 0.900 ± 0.005 | -6.0 ± 1.6 pts | shaped behind |")
        .contains("Shaped ahead in 0, level in 1, behind in 1 of 2")
        // gap: 85 - 82 then 84 - 12
        .contains("| tanh | +3.0 | +72.0 | yes |")
        .contains("for 1 of 1 activations")
        // preflight: 3 networks below 1, one from 1 to 5, one at 5 or more and at chance
        .contains("| 0.0 to 1.0 | 3 | 0 | 0.830 to 0.850 | 1.00 to 1.50 |")
        .contains("| 5.0 to 20.0 | 1 | 1 | 0.120 to 0.120 | 3.58e+03 to 3.58e+03 |")
        .contains("over these 5 networks")
        .contains("more degenerate kernels trained worse")
        .contains("No network with degeneracy below 1.0 stayed at chance");
  }

  @Test
  void flagsTheNetworksWhoseBestRateIsAtTheEdgeOfTheGrid() throws IOException {
    DepthClaims c = claims(CSV);
    // every trained network here did best at 1e-4 or 1e-2 (two rates: both are edges); standard
    // tanh at depth 50 is at chance, where the best rate means nothing
    assertThat(c.bestAtTheEdge())
        .extracting(b -> b.key().arm() + " " + b.key().depth())
        .containsExactly(
            "dks 10", "standard 10", "resnet-bn 10", "dks 50", "tat 50", "resnet-bn 50");
    assertThat(c.markdown())
        .contains("6 networks that trained did best at the smallest or the largest rate tried")
        .contains("- dks tanh depth 10: 0.850 ± 0.010 at the largest rate, 0.010")
        .contains("- dks tanh depth 50: 0.840 ± 0.010 at the smallest rate, 0.00010");
    String inside =
        HEADER
            + "0,dks,tanh,mlp,10,64,0.0001,fashion-mnist,0.80,0.01,2,0,0,0,0,true,\n"
            + "1,dks,tanh,mlp,10,64,0.001,fashion-mnist,0.85,0.01,2,0,0,0,0,true,\n"
            + "2,dks,tanh,mlp,10,64,0.01,fashion-mnist,0.84,0.01,2,0,0,0,0,true,\n";
    assertThat(claims(inside).bestAtTheEdge()).isEmpty();
    assertThat(claims(inside).markdown())
        .contains("Every network that trained did best at a learning rate inside the grid.");
  }

  @Test
  void theRankCorrelationFollowsTheDegeneracy() throws IOException {
    // ranks of degeneracy 0.14, 0.41, 0.41, 1.64, 8.18 (1, 2.5, 2.5, 4, 5) against those of the
    // results .83, .85, .84, .82, .12 (3, 5, 4, 2, 1): Pearson's r of the ranks, -6.5 / sqrt(9.5 *
    // 10)
    assertThat(claims(CSV).preflightCorrelation()).isCloseTo(-6.5 / Math.sqrt(95), within(1e-12));
  }

  @Test
  void namesTheNetworksWhereThePredictionAndTheRunDisagree() throws IOException {
    // standard tanh depth 50 trained after all: a collapsed kernel that trained
    String csv =
        CSV.replace(
            "12,standard,tanh,mlp,50,64,0.0001,fashion-mnist,0.11,",
            "12,standard,tanh,mlp,50,64,0.0001,fashion-mnist,0.71,");
    String md = claims(csv).markdown();
    assertThat(md)
        .contains("Where the prediction and the run disagree")
        .contains("- standard tanh depth 50 (degeneracy 8.18) trained to 0.710 ± 0.010")
        .contains("0 of 1 unshaped (method, activation) pairs end at chance")
        .contains("- standard tanh: trains at every depth (deepest 0.710 ± 0.010)");
  }

  @Test
  void aSweepWithoutTheComparedArmsSaysSo() throws IOException {
    String csv = HEADER + "0,dks,tanh,mlp,10,64,0.001,fashion-mnist,0.85,0.01,2,0,0,0,0,true,\n";
    String md = claims(csv).markdown();
    assertThat(md)
        .contains("Not in this sweep (no standard or orthogonal arm).")
        .contains("Not in this sweep (no resnet-bn baseline).")
        .contains("over these 1 networks: n/a (too few networks)");
  }

  @Test
  void refusesAFileThatIsNotAResultsCsvNamingTheColumn() {
    assertThatThrownBy(() -> claims("cell,method\n0,dks\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no column 'activation'");
    assertThatThrownBy(
            () ->
                claims(
                    HEADER
                        + "0,dks,tanh,mlp,ten,64,0.001,fashion-mnist,0.85,0.01,2,0,0,0,0,true,\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("results CSV line 2: depth must be an integer, got 'ten'");
  }
}
