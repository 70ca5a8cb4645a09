package dev.dkssweep.trainer.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and loads a trial's data set: the synthetic sets by name, IDX sets (mnist, fashion-mnist)
 * from the spec's path, the cache directory {@code $DKS_DATA_DIR/<name>} (default {@code
 * ~/.cache/dks-sweep/<name>}), or Debian's standard location {@code /usr/share/datasets/<name>}
 * (package {@code dataset-fashion-mnist}); when the files are nowhere and the spec gives a URL,
 * they are downloaded into the cache directory and checked against SHA-256 checksums ({@link
 * Download}). Nothing is fetched otherwise.
 */
public final class Datasets {

  /** The training and test parts. */
  public record Split(Examples train, Examples test) {}

  private static final String[] TRAIN = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"};
  private static final String[] TEST = {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

  /** Where Debian's dataset packages install. */
  public static final Path SYSTEM_ROOT = Path.of("/usr/share/datasets");

  private Datasets() {}

  /**
   * @param dataDir the cache directory root ({@code DKS_DATA_DIR}), may be null
   * @throws IOException with a message that says where it looked and how to install the data
   */
  public static Split load(
      String name, String path, String url, Map<String, String> sha256, Path dataDir, long seed)
      throws IOException {
    return load(name, path, url, sha256, dataDir, SYSTEM_ROOT, seed);
  }

  /** As {@link #load(String, String, String, Map, Path, long)} with another system location. */
  public static Split load(
      String name,
      String path,
      String url,
      Map<String, String> sha256,
      Path dataDir,
      Path systemRoot,
      long seed)
      throws IOException {
    switch (name) {
      case "synthetic-teacher":
        return new Split(
            SyntheticData.teacher(12_000, seed), SyntheticData.teacher(2_000, seed + 1));
      case "synthetic-clusters":
        return new Split(
            SyntheticData.clusters(12_000, seed), SyntheticData.clusters(2_000, seed + 1));
      case "mnist":
      case "fashion-mnist":
        Path dir = locateOrDownload(name, path, url, sha256, dataDir, systemRoot);
        return new Split(
            IdxReader.examples(file(dir, TRAIN[0]), file(dir, TRAIN[1]), 10),
            IdxReader.examples(file(dir, TEST[0]), file(dir, TEST[1]), 10));
      default:
        throw new IOException("unknown data set '" + name + "'");
    }
  }

  private static Path locateOrDownload(
      String name,
      String path,
      String url,
      Map<String, String> sha256,
      Path dataDir,
      Path systemRoot)
      throws IOException {
    try {
      return locate(name, path, dataDir, systemRoot);
    } catch (IOException missing) {
      if (url == null) {
        throw missing;
      }
      Path cache = cache(dataDir).resolve(name);
      for (String[] part : new String[][] {TRAIN, TEST}) {
        for (String base : part) {
          if (!has(cache, base)) {
            Download.fetch(name, url, sha256, base, cache);
          }
        }
      }
      return cache;
    }
  }

  private static Path cache(Path dataDir) {
    return dataDir != null
        ? dataDir
        : Path.of(System.getProperty("user.home"), ".cache", "dks-sweep");
  }

  static Path locate(String name, String path, Path dataDir, Path systemRoot) throws IOException {
    List<Path> candidates = new ArrayList<>();
    if (path != null) {
      candidates.add(Path.of(path));
    }
    candidates.add(cache(dataDir).resolve(name));
    candidates.add(systemRoot.resolve(name));
    for (Path c : candidates) {
      if (Files.isDirectory(c) && has(c, TRAIN[0])) {
        return c;
      }
    }
    String install =
        name.equals("fashion-mnist")
            ? "install it with 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu) or"
                + " put the four IDX files there"
            : "put the four IDX files (train-images-idx3-ubyte[.gz], ...) there";
    throw new IOException(
        "data set '"
            + name
            + "' not found; looked in "
            + candidates
            + ": "
            + install
            + ", set data.path in the trial spec, or data.url to download them");
  }

  private static boolean has(Path dir, String base) {
    return Files.exists(dir.resolve(base)) || Files.exists(dir.resolve(base + ".gz"));
  }

  private static Path file(Path dir, String base) {
    Path plain = dir.resolve(base);
    return Files.exists(plain) ? plain : dir.resolve(base + ".gz");
  }
}
