package dev.dkssweep.operator.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dkssweep.operator.EmbeddedPostgresResource;
import dev.dkssweep.operator.Fixtures;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.lifecycle.EventReason;
import dev.dkssweep.sweep.lifecycle.EventType;
import dev.dkssweep.sweep.model.CellExpander;
import dev.dkssweep.sweep.model.Goal;
import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.planning.Preflight;
import dev.dkssweep.sweep.protocol.MetricPoint;
import dev.dkssweep.sweep.protocol.ProtocolJson;
import dev.dkssweep.sweep.protocol.TrialSummary;
import dev.dkssweep.sweep.store.NewCell;
import dev.dkssweep.sweep.store.NewSweep;
import dev.dkssweep.sweep.store.NewTrial;
import dev.dkssweep.sweep.store.ResultStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium), served by the real application from
 * a fixture sweep in a real PostgreSQL: pages load without console errors, the charts carry the
 * fixture's numbers, and a sweep name made of markup is shown as text. Screenshots go to
 * target/screenshots/. Without Chromium the test is skipped with how to install it, unless
 * DKS_REQUIRE_BROWSER=1 (set by .ci/run), which makes a missing browser a failure.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = true)
class DashboardBrowserIT {

  static final String UID = "browser-fixture";
  static final String MALICIOUS = "<img src=x onerror=\"window.pwned=1\">sweep";
  static final Path SHOTS = Path.of("target", "screenshots");

  static ChromeDriver browser;

  @Inject ResultStore store;

  @TestHTTPResource("/")
  URL root;

  @BeforeAll
  static void startBrowser() {
    browser = Browsers.chrome();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  /** 2 methods x 2 depths x 2 learning rates, 2 seeds each, with known objectives. */
  @BeforeEach
  void fixture() {
    if (store.sweep(UID).isPresent()) {
      return;
    }
    store.recordSweep(
        new NewSweep(
            UID,
            "local",
            MALICIOUS,
            1,
            "{\"objective\": {\"reduce\": \"last\"}}",
            "val_accuracy",
            Goal.MAXIMIZE));
    List<NewCell> cells = new ArrayList<>();
    List<NewTrial> trials = new ArrayList<>();
    int index = 0;
    for (String method : List.of("dks", "standard")) {
      for (int depth : List.of(10, 50)) {
        for (double lr : List.of(0.001, 0.01)) {
          cells.add(
              new NewCell(
                  index,
                  method,
                  "tanh",
                  "mlp",
                  depth,
                  64,
                  lr,
                  "synthetic-clusters",
                  true,
                  null,
                  index == 0 ? ProtocolJson.write(PREFLIGHT.transform()) : null,
                  index == 0 ? ProtocolJson.write(PREFLIGHT.diagnostics()) : null));
          trials.add(new NewTrial(2 * index, index, 1));
          trials.add(new NewTrial(2 * index + 1, index, 2));
          index++;
        }
      }
    }
    store.recordCells(UID, cells);
    store.recordTrials(UID, trials);
    for (NewTrial t : trials) {
      double value = objective(t.cellIndex(), (int) t.seed());
      Fixtures.succeed(
          store,
          UID,
          t.trialIndex(),
          value,
          List.of(
              new MetricPoint(5, 1, "train_loss", 1.5, 1_000),
              new MetricPoint(10, 1, "val_accuracy", value / 2, 1_000),
              new MetricPoint(20, 2, "val_accuracy", value, 2_000)),
          t.trialIndex() == 0 ? INIT_CHECK : null);
    }
  }

  /** The real preflight of cell 0 (dks, tanh, depth 10). */
  static final Preflight.CellResult PREFLIGHT = preflight();

  static final TrialSummary.InitCheck INIT_CHECK =
      new TrialSummary.InitCheck(
          0.2,
          List.of(
              new TrialSummary.LayerKernel(1, 1.01, 1.0, 0.31, 0.30),
              new TrialSummary.LayerKernel(2, 0.99, 1.0, 0.42, 0.41),
              new TrialSummary.LayerKernel(3, 1.02, 1.0, 0.50, 0.51)),
          0.02,
          0.01);

  static Preflight.CellResult preflight() {
    SweepDefinition spec =
        SweepDocuments.read(
                "objective: {metric: val_accuracy, goal: maximize}\n"
                    + "space: {method: dks, activation: tanh, depth: 10, learningRate: 0.001}",
                "k")
            .definition();
    return new Preflight().run(spec, CellExpander.expand(spec)).get(0);
  }

  /** Cell c's seed s: dks cells are good at both depths, standard ones collapse at depth 50. */
  static double objective(int cell, int seed) {
    boolean dks = cell < 4;
    boolean deep = (cell / 2) % 2 == 1;
    double base = dks ? 0.9 : deep ? 0.3 : 0.8;
    return base + 0.01 * (cell % 2) + (seed == 1 ? -0.005 : 0.005);
  }

  void open(String fragment) {
    // a fresh document each time: going from #/a to #/b on the same page is only a hashchange,
    // and the previous page's ready flag would be read before the new route starts
    browser.get("about:blank");
    browser.get(root.toString() + fragment);
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> Boolean.TRUE.equals(js("return window.dks && window.dks.ready")));
  }

  Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  void screenshot(String name) throws IOException {
    Files.createDirectories(SHOTS);
    Files.write(
        SHOTS.resolve(name + ".png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }

  List<String> consoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        errors.add(e.getMessage());
      }
    }
    return errors;
  }

  @Test
  void theSweepsListShowsMarkupAsText() throws IOException {
    open("#/");
    WebElement link =
        browser.findElement(By.cssSelector("#sweeps tr[data-uid='" + UID + "'] a.sweep-name"));
    assertThat(link.getText()).isEqualTo(MALICIOUS);
    assertThat(browser.findElements(By.cssSelector("#sweeps img"))).isEmpty();
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
    assertThat(js("return window.dks.errors")).asList().isEmpty();
    screenshot("sweeps");
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSweepPageChartsTheFixturesNumbers() throws IOException {
    store.recordEvent(
        UID, 3, EventType.WARNING, EventReason.FAILED, "<script>window.pwned=2</script>exit 1");
    open("#/sweep/" + UID);
    assertThat(browser.findElement(By.id("sweep-name")).getText()).isEqualTo(MALICIOUS);
    assertThat(browser.findElement(By.cssSelector("#sweep-events summary")).getText())
        .contains("<script>window.pwned=2</script>exit 1");
    assertThat(js("return window.pwned === undefined")).isEqualTo(true);
    assertThat(browser.findElement(By.cssSelector("#card-done .v")).getText()).isEqualTo("16/16");

    // heatmap dks/tanh: x = learning rate index, y = depth index, value = mean over the 2 seeds
    List<List<Number>> dks =
        (List<List<Number>>)
            js(
                "return window.dks.charts['heatmap:dks/tanh'].getOption().series[0].data"
                    + ".map(d => d.value)");
    assertThat(dks).hasSize(4);
    for (List<Number> point : dks) {
      int cell = point.get(1).intValue() * 2 + point.get(0).intValue();
      assertThat(point.get(2).doubleValue()).isCloseTo(objective(cell, 1) + 0.005, within(1e-9));
    }
    List<Number> standardDeep =
        (List<Number>)
            js(
                "return window.dks.charts['heatmap:standard/tanh'].getOption().series[0].data"
                    + ".map(d => d.value).find(v => v[1] === 1 && v[0] === 1)");
    assertThat(standardDeep.get(2).doubleValue()).isCloseTo(0.31, within(1e-9));

    // depth scaling: best over learning rates, per method
    List<Object> series =
        (List<Object>)
            js(
                "return window.dks.charts['depth-scaling'].getOption().series"
                    + ".map(s => [s.name, s.data])");
    assertThat(series.toString()).contains("dks/tanh").contains("standard/tanh");

    // parallel coordinates: one line per cell, objective last
    List<List<Object>> lines =
        (List<List<Object>>) js("return window.dks.charts['parallel'].getOption().series[0].data");
    assertThat(lines).hasSize(8);
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("standard", "tanh", 50L, 0.01));

    // paper table: the best per column is bold (dks at both depths)
    List<WebElement> bold = browser.findElements(By.cssSelector("#paper-table td.best"));
    assertThat(bold).extracting(WebElement::getText).containsOnly("0.9100 ± 0.0071");

    // the trial table's filters
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-method")))
        .selectByValue("standard");
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.findElements(By.cssSelector("#trials tbody tr")).size() == 8);
    assertThat(browser.findElements(By.cssSelector("#trials tbody tr td:nth-child(3)")))
        .extracting(WebElement::getText)
        .containsOnly("standard");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("filter-method")))
        .selectByValue("");
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.findElements(By.cssSelector("#trials tbody tr")).size() == 16);

    // a trial: facts, curves, events, log
    browser.findElement(By.cssSelector("#trials tr[data-trial='0'] button")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> Boolean.TRUE.equals(js("return !!window.dks.charts['curves']")));
    List<Object> curves =
        (List<Object>) js("return window.dks.charts['curves'].getOption().series.map(s => s.name)");
    assertThat(curves).containsExactlyInAnyOrder("train_loss", "val_accuracy");
    assertThat(browser.findElement(By.id("trial-facts")).getText())
        .contains("Succeeded")
        .contains("val_accuracy 0.8950")
        .contains("trained by the dense engine");
    screenshot("sweep");
    assertThat(js("return window.dks.errors")).asList().isEmpty();
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void thePaperTableDownloadsAsCsvAndLatexWithTheTablesNumbers() throws IOException {
    // a browser of its own: allowing downloads must not change what the other tests' browser does
    ChromeDriver own = Browsers.chrome();
    try {
      paperTableDownloads(own);
    } finally {
      own.quit();
    }
  }

  void paperTableDownloads(ChromeDriver own) throws IOException {
    PaperTableExport.open(own, root.toString() + "#/sweep/" + UID);
    Downloads downloads = Downloads.allow(own);
    List<String> csv = downloads.click("export-csv", "paper-table.csv").lines().toList();
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).isEqualTo("method/activation,depth 10,depth 50");
    // best learning rate per depth: dks 0.91 at both, standard 0.81 then 0.31; seeds +-0.005
    double[][] expected = {{0.91, 0.91}, {0.81, 0.31}};
    for (int row = 0; row < 2; row++) {
      String[] fields = csv.get(row + 1).split(",");
      assertThat(fields[0]).isEqualTo(row == 0 ? "dks/tanh" : "standard/tanh");
      for (int d = 0; d < 2; d++) {
        String[] meanStd = fields[d + 1].split(" ± ");
        assertThat(Double.parseDouble(meanStd[0])).isCloseTo(expected[row][d], within(1e-9));
        assertThat(Double.parseDouble(meanStd[1])).isCloseTo(0.01 / Math.sqrt(2), within(1e-9));
      }
    }
    String latex = downloads.click("export-latex", "paper-table.tex");
    assertThat(latex)
        .startsWith("\\begin{tabular}{lrr}")
        .contains("method / activation & depth 10 & depth 50 \\\\")
        .contains("dks/tanh & \\textbf{0.9100 $\\pm$ 0.0071} & \\textbf{0.9100 $\\pm$ 0.0071} \\\\")
        .contains("standard/tanh & 0.8100 $\\pm$ 0.0071 & 0.3100 $\\pm$ 0.0071 \\\\")
        .endsWith("\\end{tabular}");
  }

  @Test
  void theSweepsListUpdatesLiveWhenASweepAppears() {
    open("#/");
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
    String uid = "live-" + System.nanoTime();
    store.recordSweep(
        new NewSweep(uid, "local", "appeared-live", 1, "{}", "val_accuracy", Goal.MAXIMIZE));
    new WebDriverWait(browser, Duration.ofSeconds(15))
        .until(
            d -> !d.findElements(By.cssSelector("#sweeps tr[data-uid='" + uid + "']")).isEmpty());
  }

  @Test
  @SuppressWarnings("unchecked")
  void theKernelViewPlotsThePredictedMapsAndTheInitCheck() throws IOException {
    open("#/sweep/" + UID + "/cell/0");
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> Boolean.TRUE.equals(js("return !!window.dks.charts['kernel:init']")));
    List<List<Number>> network =
        (List<List<Number>>)
            js(
                "return window.dks.charts['kernel:c'].getOption().series"
                    + ".find(s => s.name === 'network (shaped)').data");
    double[] expected = PREFLIGHT.diagnostics().curves().networkC();
    assertThat(network).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(network.get(i).get(1).doubleValue()).isCloseTo(expected[i], within(1e-12));
    }
    List<List<Number>> measured =
        (List<List<Number>>)
            js(
                "return window.dks.charts['kernel:init'].getOption().series"
                    + ".find(s => s.name === 'measured c').data");
    assertThat(measured).extracting(p -> p.get(1).doubleValue()).containsExactly(0.31, 0.42, 0.50);
    assertThat(browser.findElement(By.id("kernel-numbers")).getText()).contains("C'(1) 1.5000");
    // the cell's learning curves over its two seeds: mean and band
    List<Object> steps =
        (List<Object>) js("return window.dks.charts['cell-curves'].getOption().xAxis[0].data");
    assertThat(steps).containsExactly("5", "10", "20");
    List<Number> mean =
        (List<Number>)
            js(
                "return window.dks.charts['cell-curves'].getOption().series"
                    + ".find(s => s.name === 'val_accuracy').data");
    assertThat(mean.get(0)).isNull();
    assertThat(mean.get(2).doubleValue()).isCloseTo(0.9, within(1e-9));
    List<Number> width =
        (List<Number>)
            js(
                "return window.dks.charts['cell-curves'].getOption().series"
                    + ".filter(s => s.name === 'val_accuracy band')[1].data");
    assertThat(width.get(2).doubleValue()).isCloseTo(2 * 0.01 / Math.sqrt(2), within(1e-9));
    js("document.getElementById('kernel').scrollIntoView()");
    screenshot("kernel");
    assertThat(js("return window.dks.errors")).asList().isEmpty();
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void twoSweepsCompareSideBySide() throws IOException {
    String other = "compare-other";
    if (store.sweep(other).isEmpty()) {
      store.recordSweep(
          new NewSweep(other, "local", "other", 1, "{}", "val_accuracy", Goal.MAXIMIZE));
      store.recordCells(other, List.of(Fixtures.cell(0, "tat", 50, 0.001)));
      store.recordTrials(other, List.of(new NewTrial(0, 0, 1)));
      Fixtures.succeed(store, other, 0, 0.7, List.of(), null);
    }
    open("#/");
    browser.findElement(By.cssSelector("input.pick[value='" + UID + "']")).click();
    browser.findElement(By.cssSelector("input.pick[value='" + other + "']")).click();
    browser.findElement(By.id("compare")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(
            d ->
                Boolean.TRUE.equals(
                    js(
                        "return window.dks.ready && !!window.dks.charts['compare-depth'] && !!window.dks.charts['compare-curves']")));
    List<Object> names =
        (List<Object>)
            js("return window.dks.charts['compare-depth'].getOption().series.map(s => s.name)");
    assertThat(names)
        .containsExactlyInAnyOrder(
            MALICIOUS + ": dks/tanh", MALICIOUS + ": standard/tanh", "other: tat/tanh");
    assertThat(browser.findElements(By.cssSelector("#paper-table-0, #paper-table-1"))).hasSize(2);
    // the learning curves of each sweep's best cell, overlaid
    List<Object> curveNames =
        (List<Object>)
            js("return window.dks.charts['compare-curves'].getOption().series.map(s => s.name)");
    assertThat(curveNames).hasSize(2);
    assertThat(curveNames.toString())
        .contains("other: tat tanh d50")
        .contains(MALICIOUS + ": dks tanh");
    assertThat(browser.findElements(By.cssSelector("main img"))).isEmpty();
    assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("null");
    screenshot("compare");
    assertThat(consoleErrors()).isEmpty();
  }

  @Test
  void anUnknownSweepShowsAnErrorNotABlankPage() {
    open("#/sweep/no-such-sweep");
    assertThat(browser.findElement(By.cssSelector("main .error")).getText()).contains("404");
  }
}
