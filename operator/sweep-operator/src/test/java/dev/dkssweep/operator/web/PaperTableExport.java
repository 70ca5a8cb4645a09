package dev.dkssweep.operator.web;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A sweep's paper table as the dashboard exports it, and a picture of its heatmaps and depth chart
 * (docs/results.md): opens the sweep page of a running application in headless Chromium, clicks the
 * page's CSV and LaTeX buttons and saves what they download, then crops the page from the heatmaps'
 * heading to the bottom of the depth-scaling chart into a PNG.
 *
 * <p>Arguments: base URL, sweep uid, the CSV file, the LaTeX file, the PNG file.
 */
public final class PaperTableExport {

  private PaperTableExport() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("arguments: BASE_URL SWEEP_UID TABLE.csv TABLE.tex PAGE.png");
      System.exit(2);
    }
    String base = args[0];
    String uid = args[1];
    Path csv = Path.of(args[2]);
    Path tex = Path.of(args[3]);
    Path png = Path.of(args[4]);
    ChromeDriver browser = Browsers.chrome();
    try {
      browser.manage().window().setSize(new Dimension(1400, 1800));
      Downloads downloads = Downloads.allow(browser);
      open(browser, base + "/#/sweep/" + uid);
      write(csv, downloads.click("export-csv", "paper-table.csv"));
      write(tex, downloads.click("export-latex", "paper-table.tex"));
      // a window tall enough for the region, then the region's place on the page
      List<Number> region = region(browser);
      browser.manage().window().setSize(new Dimension(1400, region.get(1).intValue() + 200));
      open(browser, base + "/#/sweep/" + uid);
      region = region(browser);
      BufferedImage page =
          ImageIO.read(new ByteArrayInputStream(browser.getScreenshotAs(OutputType.BYTES)));
      double scale = region.get(2).doubleValue();
      int top = (int) Math.floor(region.get(0).doubleValue() * scale);
      int bottom = Math.min(page.getHeight(), (int) Math.ceil(region.get(1).doubleValue() * scale));
      createParent(png);
      ImageIO.write(page.getSubimage(0, top, page.getWidth(), bottom - top), "png", png.toFile());
      System.out.println("Written " + csv + ", " + tex + " and " + png);
    } finally {
      browser.quit();
    }
  }

  static void open(ChromeDriver browser, String url) {
    browser.get("about:blank");
    browser.get(url);
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(d -> Boolean.TRUE.equals(js(browser, "return window.dks && window.dks.ready")));
    Object errors = js(browser, "return window.dks.errors");
    if (errors instanceof List<?> l && !l.isEmpty()) {
      throw new IllegalStateException("the sweep page failed: " + l);
    }
  }

  /** Top of the heatmaps' heading, bottom of the depth chart (page pixels), device pixel ratio. */
  @SuppressWarnings("unchecked")
  static List<Number> region(ChromeDriver browser) {
    return (List<Number>)
        js(
            browser,
            "const h = document.getElementById('heatmaps').previousElementSibling.getBoundingClientRect();"
                + " const d = document.getElementById('depth-scaling').getBoundingClientRect();"
                + " return [h.top + window.scrollY - 8, d.bottom + window.scrollY + 8,"
                + " window.devicePixelRatio];");
  }

  static Object js(ChromeDriver browser, String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  static void write(Path file, String text) throws java.io.IOException {
    createParent(file);
    Files.writeString(file, text, StandardCharsets.UTF_8); // as downloaded, byte for byte
  }

  static void createParent(Path file) throws java.io.IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }
}
