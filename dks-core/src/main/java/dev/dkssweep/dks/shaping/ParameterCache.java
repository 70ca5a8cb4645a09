package dev.dkssweep.dks.shaping;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Solved transforms keyed by (activation, method with its targets, architecture, quadrature)
 * (docs/maths.md section 12): a sweep solves each distinct cell once. Custom activations and
 * architectures are keyed by their id/key, which the user must keep unique.
 */
public final class ParameterCache {

  /** What a transform depends on. */
  public record Key(
      String activation, ShapingMethod method, String architecture, String quadrature) {}

  private final ConcurrentHashMap<Key, ActivationShape> entries = new ConcurrentHashMap<>();

  public ActivationShape computeIfAbsent(Key key, Function<Key, ActivationShape> solve) {
    ActivationShape cached = entries.get(key);
    if (cached != null) {
      return cached;
    }
    // Solve outside the map's lock: solves can take long and may run concurrently for other keys.
    ActivationShape solved = solve.apply(key);
    ActivationShape previous = entries.putIfAbsent(key, solved);
    return previous != null ? previous : solved;
  }

  public int size() {
    return entries.size();
  }

  public void clear() {
    entries.clear();
  }
}
