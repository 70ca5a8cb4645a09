package dev.dkssweep.sweep.document;

import dev.dkssweep.sweep.model.SweepDefinition;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of a trainer's environment and placement: the rules Kubernetes applies to the same
 * fields (names, label syntax, toleration operators and effects), made here so that a bad value is
 * refused with its path before any pod is created, and so that local mode refuses it too.
 */
final class TrainerChecks {

  /** The most entries of each list or map (the custom resource's schema says the same). */
  static final int MAX_ENV = 64;

  static final int MAX_ENTRIES = 32;

  /** An environment variable's name, as Kubernetes accepts it (C identifier or dotted). */
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  /** A DNS-1123 subdomain: queue, priority class, runtime class and Secret names. */
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A label key's name part, and a label value (both at most 63 characters). */
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  /** The environment the runner sets itself: a trainer's own value would fight it. */
  static final Set<String> RESERVED_ENV =
      Set.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "JAVA_OPTS", "HOME");

  private static final Set<String> OPERATORS = Set.of("Equal", "Exists");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

  private TrainerChecks() {}

  static void env(List<SpecViolation> v, List<SweepSpec.EnvVar> env) {
    if (env == null) {
      return;
    }
    if (env.size() > MAX_ENV) {
      v.add(new SpecViolation("trainer.env", "at most " + MAX_ENV + " variables"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < env.size(); i++) {
      String path = "trainer.env[" + i + "]";
      SweepSpec.EnvVar e = env.get(i);
      if (e == null || e.name() == null) {
        v.add(new SpecViolation(path + ".name", "is required"));
        continue;
      }
      String n = e.name();
      if (n.length() > 256 || !ENV_NAME.matcher(n).matches()) {
        v.add(
            new SpecViolation(
                path + ".name",
                "must be letters, digits, '_', '-' or '.', not starting with a digit, got " + n));
      } else if (RESERVED_ENV.contains(n) || n.startsWith("DKS_")) {
        v.add(
            new SpecViolation(
                path + ".name",
                n
                    + " is set by the runner"
                    + (n.endsWith("_NUM_THREADS")
                        ? "; set trainer.threads instead"
                        : n.equals("JAVA_OPTS") ? "; set trainer.jvmOptions instead" : "")));
      } else if (!seen.add(n)) {
        v.add(new SpecViolation(path + ".name", "repeats " + n + "; give each variable once"));
      }
      if (e.value() == null) {
        v.add(new SpecViolation(path + ".value", "is required (use \"\" for an empty value)"));
      } else if (e.value().length() > 32_768) {
        v.add(new SpecViolation(path + ".value", "at most 32768 characters"));
      }
    }
  }

  static void placement(List<SpecViolation> v, SweepSpec.TrainerSettings t) {
    name(v, "trainer.queueName", t.queueName(), 63);
    name(v, "trainer.priorityClassName", t.priorityClassName(), 253);
    name(v, "trainer.runtimeClassName", t.runtimeClassName(), 253);
    nodeSelector(v, t.nodeSelector());
    tolerations(v, t.tolerations());
    AffinityChecks.check(v, t.affinity());
    List<SweepSpec.NameRef> secrets = t.imagePullSecrets();
    if (secrets != null) {
      if (secrets.size() > MAX_ENTRIES) {
        v.add(new SpecViolation("trainer.imagePullSecrets", "at most " + MAX_ENTRIES + " Secrets"));
      }
      for (int i = 0; i < secrets.size(); i++) {
        String path = "trainer.imagePullSecrets[" + i + "].name";
        if (secrets.get(i) == null || secrets.get(i).name() == null) {
          v.add(new SpecViolation(path, "is required"));
        } else {
          name(v, path, secrets.get(i).name(), 253);
        }
      }
    }
  }

  private static void name(List<SpecViolation> v, String path, String name, int max) {
    if (name == null) {
      return;
    }
    if (name.length() > max || !SUBDOMAIN.matcher(name).matches()) {
      v.add(
          new SpecViolation(
              path,
              "must be a Kubernetes name (lower-case letters, digits, '-' and '.', at most "
                  + max
                  + " characters), got "
                  + name));
    }
  }

  private static void nodeSelector(List<SpecViolation> v, Map<String, String> selector) {
    if (selector == null) {
      return;
    }
    if (selector.size() > MAX_ENTRIES) {
      v.add(new SpecViolation("trainer.nodeSelector", "at most " + MAX_ENTRIES + " labels"));
    }
    for (Map.Entry<String, String> e : selector.entrySet()) {
      String path = "trainer.nodeSelector." + e.getKey();
      if (!labelKey(e.getKey())) {
        v.add(
            new SpecViolation(
                path,
                "is not a label key (an optional DNS prefix and '/', then at most 63 letters,"
                    + " digits, '-', '_' or '.')"));
      }
      String value = e.getValue();
      if (value == null || value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
        v.add(
            new SpecViolation(
                path,
                "must be a label value (at most 63 letters, digits, '-', '_' or '.'), got "
                    + value));
      }
    }
  }

  private static boolean labelKey(String key) {
    int slash = key.lastIndexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk =
        prefix == null || (prefix.length() <= 253 && SUBDOMAIN.matcher(prefix).matches());
    return prefixOk && !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  private static void tolerations(List<SpecViolation> v, List<SweepDefinition.Toleration> list) {
    if (list == null) {
      return;
    }
    if (list.size() > MAX_ENTRIES) {
      v.add(new SpecViolation("trainer.tolerations", "at most " + MAX_ENTRIES + " tolerations"));
    }
    for (int i = 0; i < list.size(); i++) {
      String path = "trainer.tolerations[" + i + "]";
      SweepDefinition.Toleration t = list.get(i);
      if (t == null) {
        v.add(new SpecViolation(path, "must not be null"));
        continue;
      }
      String op = t.operator() == null ? "Equal" : t.operator();
      if (!OPERATORS.contains(op)) {
        v.add(new SpecViolation(path + ".operator", "must be Equal or Exists, got " + op));
      }
      if (t.key() != null && !t.key().isEmpty() && !labelKey(t.key())) {
        v.add(new SpecViolation(path + ".key", "is not a taint key, got " + t.key()));
      }
      if ((t.key() == null || t.key().isEmpty()) && !"Exists".equals(op)) {
        v.add(
            new SpecViolation(
                path + ".operator",
                "must be Exists when no key is given (it tolerates every taint)"));
      }
      if ("Exists".equals(op) && t.value() != null && !t.value().isEmpty()) {
        v.add(new SpecViolation(path + ".value", "must be empty with operator Exists"));
      }
      if (t.effect() != null && !t.effect().isEmpty() && !EFFECTS.contains(t.effect())) {
        v.add(
            new SpecViolation(
                path + ".effect",
                "must be NoSchedule, PreferNoSchedule or NoExecute, got " + t.effect()));
      }
      if (t.tolerationSeconds() != null && !"NoExecute".equals(t.effect())) {
        v.add(
            new SpecViolation(
                path + ".tolerationSeconds", "applies only to effect NoExecute; leave it out"));
      }
    }
  }
}
