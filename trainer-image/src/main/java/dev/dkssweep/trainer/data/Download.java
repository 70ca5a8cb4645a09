package dev.dkssweep.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * Fetches the IDX files of a data set from a configured URL into the cache directory, each checked
 * against a SHA-256: the one the spec gives for the file, else the known checksum of its
 * decompressed content (fashion-mnist, as Debian's dataset-fashion-mnist ships it). A file whose
 * checksum is unknown or wrong is refused and nothing of it is kept; the files land under their
 * final names only once verified, so an interrupted download leaves nothing half-written.
 */
final class Download {

  private static final Logger LOG = Logger.getLogger(Download.class.getName());

  /** SHA-256 of the decompressed IDX files, by data set and base file name. */
  static final Map<String, Map<String, String>> CONTENT_SHA256 =
      Map.of(
          "fashion-mnist",
          Map.of(
              "train-images-idx3-ubyte",
                  "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
              "train-labels-idx1-ubyte",
                  "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
              "t10k-images-idx3-ubyte",
                  "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
              "t10k-labels-idx1-ubyte",
                  "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"));

  private Download() {}

  /**
   * Downloads {@code base} ({@code base.gz} first, then the plain file) from {@code url} into
   * {@code dir}.
   *
   * @param sha256 the spec's checksums by file name (may be null)
   * @throws IOException naming the file, the URL and what to do
   */
  static void fetch(String dataset, String url, Map<String, String> sha256, String base, Path dir)
      throws IOException {
    Files.createDirectories(dir);
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    String root = url.endsWith("/") ? url : url + "/";
    String content = CONTENT_SHA256.getOrDefault(dataset, Map.of()).get(base);
    Map<String, String> given = sha256 == null ? Map.of() : sha256;
    if (content == null && !given.containsKey(base + ".gz") && !given.containsKey(base)) {
      throw new IOException(
          "no SHA-256 known for "
              + base
              + "[.gz] of "
              + dataset
              + ": add data.sha256."
              + base
              + ".gz (training.dataSha256 in a sweep) so that the download can be checked");
    }
    IOException last = null;
    for (String name : new String[] {base + ".gz", base}) {
      String expected = given.get(name);
      if (expected == null && content == null) {
        continue;
      }
      URI uri = URI.create(root + name);
      Path partial = Files.createTempFile(dir, name, ".part");
      try {
        HttpResponse<InputStream> r =
            http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 404) {
          r.body().close();
          last = new IOException(uri + ": 404 not found");
          continue;
        }
        if (r.statusCode() != 200) {
          r.body().close();
          throw new IOException(uri + ": HTTP " + r.statusCode());
        }
        String fileSha = copy(r.body(), partial);
        boolean gz = name.endsWith(".gz");
        boolean ok = fileSha.equalsIgnoreCase(String.valueOf(expected));
        String contentSha = null;
        if (!ok) {
          contentSha = contentSha256(partial, gz);
          ok =
              contentSha.equalsIgnoreCase(String.valueOf(expected))
                  || contentSha.equalsIgnoreCase(String.valueOf(content));
        }
        if (!ok) {
          throw new IOException(
              uri
                  + ": SHA-256 mismatch (file "
                  + fileSha
                  + ", content "
                  + contentSha
                  + "; expected "
                  + (expected != null ? expected : content + " (content)")
                  + "); nothing was kept: check the mirror or data.sha256."
                  + name);
        }
        Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        LOG.info("downloaded and verified " + uri + " into " + dir);
        return;
      } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
        throw new IOException(
            "cannot download "
                + uri
                + " ("
                + e
                + "): this machine may be offline; put the IDX files in "
                + dir
                + " or set data.path",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("download of " + uri + " interrupted", e);
      } finally {
        Files.deleteIfExists(partial);
      }
    }
    throw last != null ? last : new IOException(root + base + "[.gz]: not downloaded");
  }

  private static String copy(InputStream body, Path to) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = new DigestInputStream(body, md);
        OutputStream out = Files.newOutputStream(to)) {
      in.transferTo(out);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String contentSha256(Path file, boolean gz) throws IOException {
    MessageDigest md = sha256();
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = new DigestInputStream(gz ? new GZIPInputStream(raw) : raw, md)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (java.util.zip.ZipException e) {
      return "(not gzip: " + e.getMessage() + ")";
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
