package dev.dkssweep.operator.execution.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The operator's defaults for what a Sweep's {@code spec.trainer} leaves out (the chart's {@code
 * trainer.image} and {@code trainer.resources}): its trainers' image (a CPU or a CUDA tag) and each
 * trainer pod's CPU, memory and GPU count. They are filled into the Sweep's spec before it becomes
 * the round's document, field by field, so the trainer policy checks and the store records what
 * actually runs; a Sweep that gives a field keeps its own.
 */
public record TrainerDefaults(
    Optional<String> image, Optional<String> cpu, Optional<String> memory, OptionalInt gpus) {

  public static final TrainerDefaults NONE =
      new TrainerDefaults(
          Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty());

  /** Fills the defaults into {@code spec} (a Sweep's spec as JSON) where it has no value. */
  public void fill(ObjectNode spec) {
    if (image.isEmpty() && cpu.isEmpty() && memory.isEmpty() && gpus.isEmpty()) {
      return;
    }
    ObjectNode trainer = object(spec, "trainer");
    image.ifPresent(i -> putIfAbsent(trainer, "image", i));
    if (cpu.isPresent() || memory.isPresent() || gpus.isPresent()) {
      ObjectNode resources = object(trainer, "resources");
      cpu.ifPresent(c -> putIfAbsent(resources, "cpu", c));
      memory.ifPresent(m -> putIfAbsent(resources, "memory", m));
      if (gpus.isPresent() && isAbsent(resources, "gpu")) {
        resources.put("gpu", gpus.getAsInt());
      }
    }
  }

  private static ObjectNode object(ObjectNode parent, String field) {
    return isAbsent(parent, field) ? parent.putObject(field) : (ObjectNode) parent.get(field);
  }

  private static boolean isAbsent(ObjectNode node, String field) {
    return !node.hasNonNull(field);
  }

  private static void putIfAbsent(ObjectNode node, String field, String value) {
    if (isAbsent(node, field)) {
      node.put(field, value);
    }
  }
}
