package dev.dkssweep.sweep.document;

import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** The checks every part of a spec's validation shares; each adds violations with their paths. */
final class FieldChecks {

  private FieldChecks() {}

  static <T> void requiredList(List<SpecViolation> v, String path, List<T> list, String hint) {
    if (list == null) {
      v.add(new SpecViolation(path, "is required: " + hint));
    } else {
      nonEmpty(v, path, list);
    }
  }

  static void nonEmpty(List<SpecViolation> v, String path, List<?> list) {
    if (list.isEmpty()) {
      v.add(new SpecViolation(path, "must list at least one value"));
    }
  }

  static <T> void each(
      List<SpecViolation> v, String path, List<T> list, BiConsumer<String, T> check) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      check.accept(path + "[" + i + "]", list.get(i));
    }
  }

  static <T> void eachDistinct(
      List<SpecViolation> v, String path, List<T> list, BiConsumer<String, T> check) {
    if (list == null) {
      return;
    }
    Set<T> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      T item = list.get(i);
      String p = path + "[" + i + "]";
      check.accept(p, item);
      if (item != null && !seen.add(item)) {
        v.add(new SpecViolation(p, "repeats " + item + "; list each value once"));
      }
    }
  }

  static void range(List<SpecViolation> v, String path, Integer x, int min, int max) {
    if (x == null) {
      v.add(new SpecViolation(path, "must be a whole number between " + min + " and " + max));
    } else if (x < min || x > max) {
      v.add(new SpecViolation(path, "must be between " + min + " and " + max + ", got " + x));
    }
  }

  static void positive(List<SpecViolation> v, String path, Double x) {
    if (x == null || !(x > 0) || x.isInfinite()) {
      v.add(new SpecViolation(path, "must be a finite number > 0, got " + x));
    }
  }
}
