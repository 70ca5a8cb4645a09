package dev.dkssweep.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads from a local HTTP server: checked, atomic, only when configured, clear when offline.
 */
class DownloadTest {

  @TempDir Path dir;
  private HttpServer server;
  private final Map<String, byte[]> served = new HashMap<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serve() throws IOException {
    Path files = Files.createDirectories(dir.resolve("mirror"));
    Random rng = new Random(3);
    for (String part : new String[] {"train", "t10k"}) {
      int n = part.equals("train") ? 40 : 10;
      byte[] pixels = new byte[n * 16];
      byte[] labels = new byte[n];
      rng.nextBytes(pixels);
      for (int i = 0; i < n; i++) {
        labels[i] = (byte) rng.nextInt(10);
      }
      IdxFiles.write(
          files.resolve(part + "-images-idx3-ubyte.gz"), new int[] {n, 4, 4}, pixels, true);
      IdxFiles.write(files.resolve(part + "-labels-idx1-ubyte.gz"), new int[] {n}, labels, true);
    }
    try (var list = Files.list(files)) {
      for (Path p : list.toList()) {
        served.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/mnist/",
        exchange -> {
          requests.incrementAndGet();
          String name = exchange.getRequestURI().getPath().substring("/mnist/".length());
          byte[] body = served.get(name);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist";
  }

  private Map<String, String> checksums() throws Exception {
    Map<String, String> sha = new HashMap<>();
    for (var e : served.entrySet()) {
      sha.put(
          e.getKey(),
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.getValue())));
    }
    return sha;
  }

  private Datasets.Split load(String url, Map<String, String> sha) throws IOException {
    return Datasets.load("mnist", null, url, sha, dir.resolve("cache"), dir.resolve("system"), 1);
  }

  @Test
  void missingFilesAreDownloadedVerifiedAndCached() throws Exception {
    Datasets.Split split = load(url(), checksums());
    assertThat(split.train().size()).isEqualTo(40);
    assertThat(split.test().size()).isEqualTo(10);
    assertThat(dir.resolve("cache/mnist/train-images-idx3-ubyte.gz")).exists();
    try (var left = Files.list(dir.resolve("cache/mnist"))) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
    int after = requests.get();
    assertThat(load(url(), checksums()).train().size()).isEqualTo(40);
    assertThat(requests.get()).as("the cache is used the second time").isEqualTo(after);
  }

  @Test
  void aWrongChecksumKeepsNothing() throws Exception {
    Map<String, String> sha = checksums();
    sha.put("train-images-idx3-ubyte.gz", "0".repeat(64));
    assertThatThrownBy(() -> load(url(), sha))
        .hasMessageContaining("train-images-idx3-ubyte.gz")
        .hasMessageContaining("SHA-256 mismatch")
        .hasMessageContaining("nothing was kept");
    assertThat(dir.resolve("cache/mnist/train-images-idx3-ubyte.gz")).doesNotExist();
  }

  @Test
  void withoutAChecksumNothingIsDownloaded() {
    assertThatThrownBy(() -> load(url(), Map.of()))
        .hasMessageContaining("no SHA-256 known for train-images-idx3-ubyte")
        .hasMessageContaining("data.sha256");
    assertThat(requests.get()).isZero();
  }

  @Test
  void withoutAUrlNothingIsDownloaded() {
    assertThatThrownBy(() -> load(null, null)).hasMessageContaining("not found");
    assertThat(requests.get()).isZero();
  }

  @Test
  void anUnreachableMirrorSaysTheMachineMayBeOffline() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    assertThatThrownBy(() -> load("http://127.0.0.1:" + closed + "/mnist", checksums()))
        .hasMessageContaining("cannot download")
        .hasMessageContaining("offline");
  }

  @Test
  void fashionMnistContentIsCheckedAgainstTheKnownChecksums() throws Exception {
    // the known checksums are of the real data: these random files must be refused
    assertThatThrownBy(
            () ->
                Datasets.load(
                    "fashion-mnist",
                    null,
                    url(),
                    null,
                    dir.resolve("cache"),
                    dir.resolve("system"),
                    1))
        .hasMessageContaining("SHA-256 mismatch")
        .hasMessageContaining(
            Download.CONTENT_SHA256.get("fashion-mnist").get("train-images-idx3-ubyte"));
  }
}
