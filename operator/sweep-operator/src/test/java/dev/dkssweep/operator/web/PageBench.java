package dev.dkssweep.operator.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard against a running application (docs/benchmarks.md): p50/p95 of every API call the
 * sweep page makes, over HTTP; then the sweep page in headless Chromium, from navigation to {@code
 * window.dks.ready} (everything fetched and every chart drawn), first load and repeated.
 *
 * <p>Arguments: base URL, sweep uid, repetitions.
 */
public final class PageBench {

  private PageBench() {}

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:8765";
    String uid = args.length > 1 ? args[1] : "bench";
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    HttpClient http = HttpClient.newHttpClient();
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("sweeps list", "/api/sweeps");
    calls.put("sweep", "/api/sweeps/" + uid);
    calls.put("cells (heatmaps, depth scaling, paper table)", "/api/sweeps/" + uid + "/cells");
    calls.put("trials, first page", "/api/sweeps/" + uid + "/trials?limit=50");
    calls.put(
        "trials, by objective, page 40",
        "/api/sweeps/" + uid + "/trials?sort=objective&desc=true&offset=2000&limit=50");
    calls.put("curves of one trial", "/api/sweeps/" + uid + "/trials/4321/curves");
    calls.put("paper table", "/api/sweeps/" + uid + "/paper-table");
    calls.put("kernel of one cell", "/api/sweeps/" + uid + "/cells/7/kernel");
    for (Map.Entry<String, String> call : calls.entrySet()) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + call.getValue())).build();
      for (int i = 0; i < 5; i++) {
        http.send(request, HttpResponse.BodyHandlers.ofString());
      }
      double[] ms = new double[reps];
      int bytes = 0;
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        ms[i] = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200) {
          throw new IllegalStateException(call.getValue() + " answered " + r.statusCode());
        }
        bytes = r.body().length();
      }
      report(call.getKey() + " (" + bytes + " bytes)", ms);
    }

    ChromeDriver browser = Browsers.chrome();
    try {
      List<Double> loads = new ArrayList<>();
      for (int i = 0; i <= reps; i++) {
        browser.get("about:blank");
        browser.get(base + "/?nolive#/sweep/" + uid);
        new WebDriverWait(browser, Duration.ofSeconds(30))
            .until(
                d ->
                    Boolean.TRUE.equals(
                        ((JavascriptExecutor) d)
                            .executeScript("return window.dks && window.dks.ready")));
        Object readyAt = ((JavascriptExecutor) browser).executeScript("return window.dks.readyAt");
        double ms = ((Number) readyAt).doubleValue();
        if (i == 0) {
          System.out.printf(Locale.ROOT, "sweep page, first load: %.0f ms%n", ms);
        } else {
          loads.add(ms);
        }
      }
      report("sweep page ready (repeated loads)", loads.stream().mapToDouble(d -> d).toArray());
    } finally {
      browser.quit();
    }
  }

  private static void report(String name, double[] ms) {
    Arrays.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "%-55s p50 %7.1f ms   p95 %7.1f ms%n",
        name,
        ms[(int) Math.floor(0.5 * (ms.length - 1))],
        ms[(int) Math.ceil(0.95 * (ms.length - 1))]);
  }
}
