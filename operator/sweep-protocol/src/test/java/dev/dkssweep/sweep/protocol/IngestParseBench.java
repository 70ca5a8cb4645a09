package dev.dkssweep.sweep.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How long the ingest endpoint's parse of one metric batch takes ({@link ProtocolJson#readStrict}
 * of a 256-point {@link MetricBatch} as the trainer writes it, values with full precision). Not a
 * test; docs/benchmarks.md has the command. Arguments: [batches (20000)] [points (256)].
 */
public final class IngestParseBench {

  public static void main(String[] args) {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    SplittableRandom random = new SplittableRandom(7);
    String[] names = {"train_loss", "val_loss", "val_accuracy", "learning_rate"};
    List<MetricPoint> points = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      points.add(
          new MetricPoint(
              i / 4 + 1, 1, names[i % 4], random.nextDouble() * 3, 1_764_000_000_000L + i));
    }
    String json = ProtocolJson.write(new MetricBatch("bench-0", 1, points));
    long checksum = 0;
    long start = 0;
    int warmup = batches / 5;
    for (int i = 0; i < batches + warmup; i++) {
      if (i == warmup) {
        start = System.nanoTime();
      }
      MetricBatch b = ProtocolJson.readStrict(json, MetricBatch.class);
      checksum += Double.doubleToRawLongBits(b.points().get(i % size).value());
    }
    double micros = (System.nanoTime() - start) / 1e3 / batches;
    System.out.printf(
        "%d batches of %d points (%d chars): %.1f us per batch, %.3f us per point (checksum %d)%n",
        batches, size, json.length(), micros, micros / size, checksum);
  }
}
