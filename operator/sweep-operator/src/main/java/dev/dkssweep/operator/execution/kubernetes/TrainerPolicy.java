package dev.dkssweep.operator.execution.kubernetes;

import dev.dkssweep.sweep.control.SpecPolicy;
import dev.dkssweep.sweep.document.Defaults;
import dev.dkssweep.sweep.document.SweepSpec;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a sweep may ask of its trainer pods in a cluster. A Sweep names the image its trainers run
 * and their JVM options and arguments: whoever may create Sweeps would otherwise run any program
 * (an image of their own, {@code -XX:OnOutOfMemoryError=...}, {@code -javaagent:...}) in pods the
 * operator creates under its own rights. So the operator runs images only under the prefixes its
 * administrator allows ({@code dks.trainer.allowed-images}), and JVM options and trainer arguments
 * only from allow-lists of prefixes ({@code dks.trainer.allowed-jvm-options}, {@code
 * dks.trainer.allowed-args}); a value after an allowed flag ({@code --engine dense}) is allowed
 * with it. The environment must not smuggle in what those lists keep out: variables the JVM or the
 * dynamic linker read as options or code ({@code JAVA_TOOL_OPTIONS}, {@code LD_PRELOAD} ...) are
 * refused. Local mode has no such policy: a user runs their own file.
 */
public final class TrainerPolicy implements SpecPolicy {

  private final List<String> images;
  private final List<String> jvmOptions;
  private final List<String> args;
  private final Optional<String> defaultImage;

  public TrainerPolicy(List<String> images, List<String> jvmOptions, List<String> args) {
    this(images, jvmOptions, args, Optional.empty());
  }

  /**
   * With {@code defaultImage}, the image the administrator made the default (the chart's {@code
   * trainer.image}): allowed as it is, whatever the prefixes say.
   */
  public TrainerPolicy(
      List<String> images,
      List<String> jvmOptions,
      List<String> args,
      Optional<String> defaultImage) {
    this.images = List.copyOf(images);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.args = List.copyOf(args);
    this.defaultImage = defaultImage;
  }

  @Override
  public List<SpecViolation> check(SweepSpec spec) {
    List<SpecViolation> v = new ArrayList<>();
    SweepSpec.TrainerSettings t = spec.trainer();
    String image = t == null || t.image() == null ? Defaults.IMAGE : t.image();
    if (images.stream().noneMatch(image::startsWith) && !defaultImage.equals(Optional.of(image))) {
      v.add(refused("trainer.image", image, "it runs images under", images, "allowed-images"));
    }
    if (t == null) {
      return v;
    }
    List<String> jvm = t.jvmOptions() == null ? List.of() : t.jvmOptions();
    for (int i = 0; i < jvm.size(); i++) {
      String o = jvm.get(i);
      if (o == null || jvmOptions.stream().noneMatch(o::startsWith)) {
        v.add(
            refused(
                "trainer.jvmOptions[" + i + "]",
                o,
                "allowed are options starting with",
                jvmOptions,
                "allowed-jvm-options"));
      }
    }
    List<String> a = t.args() == null ? List.of() : t.args();
    boolean valueOfFlag = false;
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      boolean allowed = x != null && args.stream().anyMatch(x::startsWith);
      if (!allowed && !(valueOfFlag && x != null && !x.startsWith("-"))) {
        v.add(
            refused(
                "trainer.args[" + i + "]",
                x,
                "allowed are arguments starting with",
                args,
                "allowed-args"));
      }
      valueOfFlag = allowed && !x.contains("=");
    }
    List<SweepSpec.EnvVar> env = t.env() == null ? List.of() : t.env();
    for (int i = 0; i < env.size(); i++) {
      String n = env.get(i) == null ? null : env.get(i).name();
      if (n != null && (CODE_ENV.contains(n) || n.startsWith("LD_"))) {
        v.add(
            new SpecViolation(
                "trainer.env[" + i + "].name",
                n
                    + " is not allowed by this operator: the JVM or the linker would run it as"
                    + " options or code; set trainer.jvmOptions (dks.trainer.allowed-jvm-options)"));
      }
    }
    return v;
  }

  /** Variables the JVM reads as options, or that point it at code. */
  static final Set<String> CODE_ENV =
      Set.of(
          "JAVA_TOOL_OPTIONS",
          "JDK_JAVA_OPTIONS",
          "_JAVA_OPTIONS",
          "JAVA_HOME",
          "CLASSPATH",
          "PATH");

  private static SpecViolation refused(
      String field, String value, String rule, List<String> allowed, String setting) {
    return new SpecViolation(
        field,
        "'"
            + value
            + "' is not allowed by this operator; "
            + rule
            + " "
            + allowed
            + " (dks.trainer."
            + setting
            + ")");
  }
}
