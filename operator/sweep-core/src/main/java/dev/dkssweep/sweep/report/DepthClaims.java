package dev.dkssweep.sweep.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.hipparchus.stat.correlation.SpearmansCorrelation;

/**
 * What a depth sweep's results say about the DKS and TAT papers' claims (docs/results.md): deep
 * vanilla networks train with kernel shaping where standard and orthogonal initialisation fail,
 * close to a ResNet with batch norm of the same depth, with a gap to the unshaped networks that
 * grows with depth; and how the kernel preflight's prediction lines up with what trained.
 *
 * <p>Every number is read off the results: per (arm, activation, depth) the learning rate whose
 * mean over seeds is best, and that mean with its standard deviation and n. The verdicts follow
 * fixed rules, stated in the report, so that the same CSV always gives the same words.
 */
public final class DepthClaims {

  /** The shaped methods, the unshaped initialisations and the baseline the claims compare. */
  static final List<String> SHAPED = List.of("dks", "tat");

  static final List<String> UNSHAPED = List.of("standard", "orthogonal");
  static final String BASELINE = "resnet-bn";

  /** "At chance": a best mean below chance plus this. */
  static final double CHANCE_MARGIN = 0.05;

  /** "Flat with depth": the deepest network within this of the shallowest. */
  static final double FLAT = 0.02;

  /** Degeneracy bins of the preflight table (upper bounds; the last is open). */
  static final double[] BINS = {1, 5, 20};

  /**
   * A cell's kernel prediction (the preflight's network values, maxima over subnetworks).
   *
   * @param degeneracy log C'(1) - log(1 - C(0)): 0 for the identity, larger for less trainable
   */
  public record Kernel(double networkCSlopeAt1, double networkCAt0, double degeneracy) {}

  /** Where a row of the table stands: an arm, an activation and a depth. */
  public record Key(String arm, String activation, int depth) {}

  /** The best learning rate of a key and its objective over seeds. */
  public record Best(Key key, double learningRate, double mean, double std, int n, Kernel kernel) {

    /** Twice the standard error of the mean (0 with one seed). */
    double twoSe() {
      return n > 1 ? 2 * std / Math.sqrt(n) : 0;
    }
  }

  private final String metric;
  private final boolean maximize;
  private final double chance;
  private final List<String> arms;
  private final List<String> activations;
  private final List<Integer> depths;
  private final Map<Key, Best> best = new LinkedHashMap<>();
  private final Map<Key, String> notRun = new LinkedHashMap<>();
  private final Map<Key, double[]> rateRange = new LinkedHashMap<>();

  /**
   * @param table the results
   * @param kernels the kernel prediction of a cell index (null for resnet-bn or an infeasible cell)
   * @param chance the objective of a network that guesses (0.1 for ten balanced classes)
   * @param maximize whether larger objectives are better
   */
  public DepthClaims(
      ResultsCsv.Table table, IntFunction<Kernel> kernels, double chance, boolean maximize) {
    this.metric = table.metric();
    this.maximize = maximize;
    this.chance = chance;
    List<String> a = new ArrayList<>();
    List<String> act = new ArrayList<>();
    TreeSet<Integer> d = new TreeSet<>();
    for (ResultsCsv.Row r : table.rows()) {
      if (!a.contains(r.arm())) {
        a.add(r.arm());
      }
      if (!act.contains(r.activation())) {
        act.add(r.activation());
      }
      d.add(r.depth());
      Key key = new Key(r.arm(), r.activation(), r.depth());
      double[] range =
          rateRange.computeIfAbsent(
              key, k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
      range[0] = Math.min(range[0], r.learningRate());
      range[1] = Math.max(range[1], r.learningRate());
      if (r.mean() == null || r.n() == 0) {
        if (!best.containsKey(key)) {
          notRun.putIfAbsent(
              key,
              !r.feasible() || r.skipped() > 0
                  ? "not run (skipped by the preflight)"
                  : "no seed finished");
        }
        continue;
      }
      Best b = best.get(key);
      if (b == null || better(r.mean(), b.mean())) {
        best.put(
            key,
            new Best(key, r.learningRate(), r.mean(), nz(r.std()), r.n(), kernels.apply(r.cell())));
        notRun.remove(key);
      }
    }
    this.arms = List.copyOf(a);
    this.activations = List.copyOf(act);
    this.depths = List.copyOf(d);
  }

  /** The best learning rate of an arm, activation and depth; empty when none of its cells ran. */
  public Optional<Best> best(String arm, String activation, int depth) {
    return Optional.ofNullable(best.get(new Key(arm, activation, depth)));
  }

  /** Whether a best mean is at chance: within {@value #CHANCE_MARGIN} of it. */
  public boolean atChance(Best b) {
    return maximize ? b.mean() < chance + CHANCE_MARGIN : b.mean() > chance - CHANCE_MARGIN;
  }

  /** The depths of the sweep, shallowest first. */
  public List<Integer> depths() {
    return depths;
  }

  /**
   * Spearman's rank correlation, over every (arm, activation, depth) with a kernel prediction and a
   * result, between the preflight's degeneracy and the best objective; NaN with fewer than three.
   */
  public double preflightCorrelation() {
    List<Best> k = withKernel();
    if (k.size() < 3) {
      return Double.NaN;
    }
    double[] x = k.stream().mapToDouble(b -> finite(b.kernel().degeneracy())).toArray();
    double[] y = k.stream().mapToDouble(Best::mean).toArray();
    return new SpearmansCorrelation().correlation(x, y);
  }

  /** The shaped arm with the best mean at an activation and depth. */
  public Optional<Best> bestShaped(String activation, int depth) {
    return bestOf(SHAPED, activation, depth);
  }

  /** The unshaped arm with the best mean at an activation and depth. */
  public Optional<Best> bestUnshaped(String activation, int depth) {
    return bestOf(UNSHAPED, activation, depth);
  }

  /** The report's markdown: the table at each arm's best learning rate, then claim by claim. */
  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Each entry is the best learning rate's %s (mean ± std over n seeds, each trial's"
                + " objective as the sweep reduces it) for that method, activation and depth; chance"
                + " is %s, and \"at chance\" means below %s.%n%n",
            metric,
            f3(chance),
            f3(chance + CHANCE_MARGIN)));
    bestTable(b);
    unshapedClaim(b);
    shapedClaim(b);
    baselineClaim(b);
    gapClaim(b);
    preflightClaim(b);
    edges(b);
    return b.toString();
  }

  /**
   * The networks that trained whose best learning rate is the smallest or the largest the sweep
   * tried for them: their optimum may lie outside the grid.
   */
  public List<Best> bestAtTheEdge() {
    List<Best> out = new ArrayList<>();
    for (Best x : best.values()) {
      double[] range = rateRange.get(x.key());
      boolean edge = x.learningRate() == range[0] || x.learningRate() == range[1];
      if (range[0] < range[1] && edge && !atChance(x)) {
        out.add(x);
      }
    }
    return out;
  }

  private void edges(StringBuilder b) {
    List<Best> edge = bestAtTheEdge();
    b.append("**Learning rates at the edge of the grid.** ");
    if (edge.isEmpty()) {
      b.append("Every network that trained did best at a learning rate inside the grid.\n\n");
      return;
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%d networks that trained did best at the smallest or the largest rate tried: their"
                + " optimum may lie outside the grid, and extending it there would settle how far"
                + " they are from their best:%n",
            edge.size()));
    for (Best x : edge) {
      double[] range = rateRange.get(x.key());
      b.append("- ")
          .append(label(x))
          .append(": ")
          .append(meanStd(x))
          .append(" at the ")
          .append(x.learningRate() == range[0] ? "smallest" : "largest")
          .append(" rate, ")
          .append(lr(x.learningRate()))
          .append('\n');
    }
    b.append('\n');
  }

  private void bestTable(StringBuilder b) {
    b.append("| activation | method |");
    depths.forEach(d -> b.append(" depth ").append(d).append(" |"));
    b.append("\n|---|---|");
    depths.forEach(d -> b.append("---|"));
    b.append('\n');
    for (String act : activations) {
      for (String arm : arms) {
        b.append("| ").append(act).append(" | ").append(arm).append(" |");
        for (int d : depths) {
          Key key = new Key(arm, act, d);
          Best x = best.get(key);
          if (x != null) {
            b.append(' ')
                .append(meanStd(x))
                .append(" (n=")
                .append(x.n())
                .append(", lr ")
                .append(lr(x.learningRate()))
                .append(atChance(x) ? ", at chance" : "")
                .append(") |");
          } else {
            b.append(' ').append(notRun.getOrDefault(key, "–")).append(" |");
          }
        }
        b.append('\n');
      }
    }
    b.append('\n');
  }

  private void unshapedClaim(StringBuilder b) {
    b.append("**Claim: standard and orthogonal initialisation stop training with depth.** ");
    List<String> lines = new ArrayList<>();
    for (String arm : UNSHAPED) {
      if (!arms.contains(arm)) {
        continue;
      }
      for (String act : activations) {
        List<Integer> chanceAt = new ArrayList<>();
        List<Integer> trainsAt = new ArrayList<>();
        for (int d : depths) {
          best(arm, act, d)
              .ifPresent(x -> (atChance(x) ? chanceAt : trainsAt).add(x.key().depth()));
        }
        if (chanceAt.isEmpty() && trainsAt.isEmpty()) {
          continue;
        }
        String deepest =
            best(arm, act, depths.get(depths.size() - 1)).map(this::meanStd).orElse("–");
        lines.add(
            "- "
                + arm
                + " "
                + act
                + ": "
                + (chanceAt.isEmpty()
                    ? "trains at every depth (deepest " + deepest + ")"
                    : "at chance at depth "
                        + join(chanceAt)
                        + (trainsAt.isEmpty() ? "" : ", trains at depth " + join(trainsAt))));
      }
    }
    if (lines.isEmpty()) {
      b.append("Not in this sweep (no standard or orthogonal arm).\n\n");
      return;
    }
    long failing = lines.stream().filter(l -> l.contains("at chance")).count();
    b.append(
        String.format(
            Locale.ROOT,
            "%d of %d unshaped (method, activation) pairs end at chance at some depth:%n",
            failing,
            lines.size()));
    lines.forEach(l -> b.append(l).append('\n'));
    b.append('\n');
  }

  private void shapedClaim(StringBuilder b) {
    b.append(
        String.format(
            Locale.ROOT,
            "**Claim: the shaped networks train at every depth.** \"Flat\" means the deepest within"
                + " %s of the shallowest.%n",
            points(FLAT)));
    int shallow = depths.get(0);
    int deep = depths.get(depths.size() - 1);
    boolean any = false;
    for (String arm : SHAPED) {
      for (String act : activations) {
        List<Best> row = new ArrayList<>();
        for (int d : depths) {
          best(arm, act, d).ifPresent(row::add);
        }
        if (row.isEmpty()) {
          continue;
        }
        any = true;
        Best first = row.get(0);
        Best last = row.get(row.size() - 1);
        double drop = maximize ? first.mean() - last.mean() : last.mean() - first.mean();
        boolean chanceSomewhere = row.stream().anyMatch(this::atChance);
        String verdict;
        if (chanceSomewhere) {
          verdict = "**not supported**: at chance at some depth";
        } else if (drop <= FLAT + 1e-9) { // a tolerance for the rounding of decimal means
          verdict = "flat";
        } else {
          verdict = "**falls** by " + points(drop);
        }
        b.append("- ")
            .append(arm)
            .append(' ')
            .append(act)
            .append(": ")
            .append(meanStd(first))
            .append(" at depth ")
            .append(first.key().depth())
            .append(first.key().depth() != shallow ? " (the shallowest that ran)" : "")
            .append(", ")
            .append(meanStd(last))
            .append(" at depth ")
            .append(last.key().depth())
            .append(last.key().depth() != deep ? " (the deepest that ran)" : "")
            .append(": ")
            .append(verdict)
            .append('\n');
      }
    }
    if (!any) {
      b.append("Not in this sweep (no dks or tat arm).\n");
    }
    b.append('\n');
  }

  private void baselineClaim(StringBuilder b) {
    b.append(
        "**Claim: a shaped vanilla network comes close to a ResNet with batch norm of the same"
            + " depth.** The better of dks and tat against resnet-bn; \"level\" means within twice"
            + " the standard error of the difference (a rough rule with few seeds).\n\n");
    if (!arms.contains(BASELINE)) {
      b.append("Not in this sweep (no resnet-bn baseline).\n\n");
      return;
    }
    b.append("| activation | depth | best shaped | resnet-bn | difference | verdict |\n");
    b.append("|---|---|---|---|---|---|\n");
    int ahead = 0;
    int level = 0;
    int behind = 0;
    for (String act : activations) {
      for (int d : depths) {
        Optional<Best> s = bestShaped(act, d);
        Optional<Best> r = best(BASELINE, act, d);
        if (s.isEmpty() || r.isEmpty()) {
          continue;
        }
        double diff = signed(s.get().mean() - r.get().mean());
        double se = Math.sqrt(sq(s.get().twoSe()) + sq(r.get().twoSe())); // 2 * sqrt(se1^2 + se2^2)
        String verdict;
        if (Math.abs(diff) <= se) {
          verdict = "level";
          level++;
        } else if (diff > 0) {
          verdict = "shaped ahead";
          ahead++;
        } else {
          verdict = "shaped behind";
          behind++;
        }
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s %s | %s | %+.1f ± %.1f pts | %s |%n",
                act,
                d,
                s.get().key().arm(),
                meanStd(s.get()),
                meanStd(r.get()),
                100 * diff,
                100 * se,
                verdict));
      }
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nShaped ahead in %d, level in %d, behind in %d of %d (activation, depth) pairs.%n%n",
            ahead,
            level,
            behind,
            ahead + level + behind));
  }

  private void gapClaim(StringBuilder b) {
    b.append(
        "**Claim: the gap between the shaped and the unshaped networks grows with depth.** The"
            + " better of dks and tat minus the better of standard and orthogonal, in points:\n\n");
    b.append("| activation |");
    depths.forEach(d -> b.append(" depth ").append(d).append(" |"));
    b.append(" grows with depth |\n|---|");
    depths.forEach(d -> b.append("---|"));
    b.append("---|\n");
    int grows = 0;
    int rows = 0;
    for (String act : activations) {
      List<Double> gaps = new ArrayList<>();
      StringBuilder line = new StringBuilder("| " + act + " |");
      for (int d : depths) {
        Optional<Best> s = bestShaped(act, d);
        Optional<Best> u = bestUnshaped(act, d);
        if (s.isPresent() && u.isPresent()) {
          double g = signed(s.get().mean() - u.get().mean());
          gaps.add(g);
          line.append(String.format(Locale.ROOT, " %+.1f |", 100 * g));
        } else {
          line.append(" – |");
        }
      }
      if (gaps.size() < 2) {
        continue;
      }
      rows++;
      boolean monotone = true;
      for (int i = 1; i < gaps.size(); i++) {
        monotone &= gaps.get(i) >= gaps.get(i - 1) - 0.01;
      }
      boolean g = monotone && gaps.get(gaps.size() - 1) > gaps.get(0);
      grows += g ? 1 : 0;
      b.append(line).append(g ? " yes |" : " **no** |").append('\n');
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nThe gap grows (never shrinks by more than 1 point from one depth to the next, and"
                + " ends larger than it starts) for %d of %d activations.%n%n",
            grows,
            rows));
  }

  private void preflightClaim(StringBuilder b) {
    List<Best> k = withKernel();
    b.append(
        "**The kernel preflight against what trained.** The preflight's degeneracy of each"
            + " network, log C'(1) - log(1 - C(0)) of its C map (0 for the identity map; the"
            + " order `predicted-trainability` launches by), against the best result:\n\n");
    if (k.isEmpty()) {
      b.append("No cell with a kernel prediction ran.\n\n");
      return;
    }
    b.append("| degeneracy | networks | at chance | best result, range | net C'(1), range |\n");
    b.append("|---|---|---|---|---|\n");
    double lo = 0;
    for (int i = 0; i <= BINS.length; i++) {
      double hi = i < BINS.length ? BINS[i] : Double.POSITIVE_INFINITY;
      double from = lo;
      List<Best> in =
          k.stream()
              .filter(
                  x ->
                      finite(x.kernel().degeneracy()) >= from
                          && finite(x.kernel().degeneracy()) < hi)
              .toList();
      String label = i < BINS.length ? f1(from) + " to " + f1(hi) : f1(from) + " or more";
      if (!in.isEmpty()) {
        double minMean = in.stream().mapToDouble(Best::mean).min().orElseThrow();
        double maxMean = in.stream().mapToDouble(Best::mean).max().orElseThrow();
        double minSlope =
            in.stream().mapToDouble(x -> x.kernel().networkCSlopeAt1()).min().orElseThrow();
        double maxSlope =
            in.stream().mapToDouble(x -> x.kernel().networkCSlopeAt1()).max().orElseThrow();
        b.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %s to %s | %s to %s |%n",
                label,
                in.size(),
                in.stream().filter(this::atChance).count(),
                f3(minMean),
                f3(maxMean),
                g3(minSlope),
                g3(maxSlope)));
      }
      lo = hi;
    }
    double rho = preflightCorrelation();
    b.append(
        String.format(
            Locale.ROOT,
            "%nSpearman's rank correlation between degeneracy and the best result over these %d"
                + " networks: %s (%s).%n",
            k.size(),
            Double.isNaN(rho) ? "n/a" : String.format(Locale.ROOT, "%.2f", rho),
            Double.isNaN(rho)
                ? "too few networks"
                : (maximize ? rho < 0 : rho > 0)
                    ? "more degenerate kernels trained worse"
                    : "the prediction does not order the results"));
    List<String> surprises = new ArrayList<>();
    for (Best x : k) {
      double deg = finite(x.kernel().degeneracy());
      if (deg < BINS[0] && atChance(x)) {
        surprises.add(label(x) + " (degeneracy " + f2(deg) + ") stayed at chance");
      } else if (deg >= BINS[1] && !atChance(x)) {
        surprises.add(label(x) + " (degeneracy " + f2(deg) + ") trained to " + meanStd(x));
      }
    }
    if (surprises.isEmpty()) {
      b.append(
          String.format(
              Locale.ROOT,
              "No network with degeneracy below %s stayed at chance, and none at %s or more"
                  + " trained above it.%n%n",
              f1(BINS[0]),
              f1(BINS[1])));
    } else {
      b.append(
          String.format(
              Locale.ROOT,
              "Where the prediction and the run disagree (degeneracy below %s at chance, or %s or"
                  + " more above it):%n",
              f1(BINS[0]),
              f1(BINS[1])));
      surprises.forEach(s -> b.append("- ").append(s).append('\n'));
      b.append('\n');
    }
  }

  private List<Best> withKernel() {
    return best.values().stream()
        .filter(x -> x.kernel() != null)
        .sorted(Comparator.comparingDouble(x -> finite(x.kernel().degeneracy())))
        .toList();
  }

  private Optional<Best> bestOf(List<String> of, String activation, int depth) {
    Best out = null;
    for (String arm : of) {
      Best x = best.get(new Key(arm, activation, depth));
      if (x != null && (out == null || better(x.mean(), out.mean()))) {
        out = x;
      }
    }
    return Optional.ofNullable(out);
  }

  private boolean better(double a, double b) {
    return maximize ? a > b : a < b;
  }

  /** A difference of objectives, positive when the first is better. */
  private double signed(double diff) {
    return maximize ? diff : -diff;
  }

  private static String label(Best x) {
    return x.key().arm() + " " + x.key().activation() + " depth " + x.key().depth();
  }

  private String meanStd(Best x) {
    return f3(x.mean()) + " ± " + f3(x.std());
  }

  private static String join(List<Integer> ds) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < ds.size(); i++) {
      s.append(i == 0 ? "" : i == ds.size() - 1 ? " and " : ", ").append(ds.get(i));
    }
    return s.toString();
  }

  private static double nz(Double x) {
    return x == null ? 0 : x;
  }

  private static double sq(double x) {
    return x * x;
  }

  /** Infinite degeneracy (a kernel that collapses) ranks above every finite one. */
  private static double finite(double x) {
    return Double.isFinite(x) ? x : Double.MAX_VALUE;
  }

  private static String points(double x) {
    return String.format(Locale.ROOT, "%.1f points", 100 * x);
  }

  private static String lr(double x) {
    return String.format(Locale.ROOT, "%.2g", x);
  }

  private static String f1(double x) {
    return String.format(Locale.ROOT, "%.1f", x);
  }

  private static String f2(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  private static String f3(double x) {
    return String.format(Locale.ROOT, "%.3f", x);
  }

  private static String g3(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3g", x) : "inf";
  }
}
