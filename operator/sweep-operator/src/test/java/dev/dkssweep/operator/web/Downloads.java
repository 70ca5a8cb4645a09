package dev.dkssweep.operator.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Files the dashboard offers for download (the paper table's CSV and LaTeX), as Chromium saves
 * them.
 */
final class Downloads {

  private final ChromeDriver browser;
  private final Path dir;

  private Downloads(ChromeDriver browser, Path dir) {
    this.browser = browser;
    this.dir = dir;
  }

  /** Lets the browser save downloads into a new temporary directory, without asking. */
  static Downloads allow(ChromeDriver browser) throws IOException {
    Path dir = Files.createTempDirectory("dks-downloads");
    browser.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", dir.toAbsolutePath().toString()));
    return new Downloads(browser, dir);
  }

  /** Clicks the button with this id and returns the text of the file it saves as {@code name}. */
  String click(String buttonId, String name) throws IOException {
    Path file = dir.resolve(name);
    Files.deleteIfExists(file);
    browser.findElement(By.id(buttonId)).click();
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(d -> Files.isRegularFile(file) && !Files.exists(dir.resolve(name + ".crdownload")));
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
