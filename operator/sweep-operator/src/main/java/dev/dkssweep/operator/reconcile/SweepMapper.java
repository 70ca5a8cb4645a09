package dev.dkssweep.operator.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dkssweep.operator.api.v1alpha1.Sweep;
import dev.dkssweep.operator.execution.kubernetes.TrainerDefaults;
import dev.dkssweep.sweep.control.SweepRequest;
import dev.dkssweep.sweep.document.SweepDocuments;
import dev.dkssweep.sweep.document.SweepSpec;
import dev.dkssweep.sweep.lifecycle.EventReason;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Sweep resource as the sweep round's request: its uid, generation and spec, the spec turned
 * into the sweep core's document. The resource's spec is the document in its canonical form, so the
 * conversion is the JSON of one read as the other (a round trip tested on every example); {@code
 * suspend} is the resource's alone and becomes the request's suspension.
 */
public final class SweepMapper {

  static final SweepRequest.Suspension SUSPENDED =
      new SweepRequest.Suspension(
          EventReason.SUSPENDED,
          "suspended (spec.suspend); set it to false to resume",
          "suspended (spec.suspend)");

  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private SweepMapper() {}

  /** The round's request for the resource as it is now. */
  public static SweepRequest request(Sweep sweep) {
    return request(sweep, TrainerDefaults.NONE);
  }

  /** The round's request, with the operator's trainer defaults where the Sweep gives none. */
  public static SweepRequest request(Sweep sweep, TrainerDefaults defaults) {
    Long generation = sweep.getMetadata().getGeneration();
    boolean suspend = sweep.getSpec() != null && Boolean.TRUE.equals(sweep.getSpec().suspend());
    return new SweepRequest(
        sweep.getMetadata().getUid(),
        sweep.getMetadata().getNamespace(),
        sweep.getMetadata().getName(),
        generation == null || generation < 1 ? 1 : generation,
        document(sweep.getSpec(), defaults),
        OptionalInt.empty(),
        suspend ? Optional.of(SUSPENDED) : Optional.empty());
  }

  /** The resource's spec as the sweep core's document. */
  public static SweepSpec document(dev.dkssweep.operator.api.v1alpha1.SweepSpec spec) {
    return document(spec, TrainerDefaults.NONE);
  }

  /** The resource's spec as the sweep core's document, with the operator's trainer defaults. */
  public static SweepSpec document(
      dev.dkssweep.operator.api.v1alpha1.SweepSpec spec, TrainerDefaults defaults) {
    ObjectNode tree = spec == null ? JSON.createObjectNode() : JSON.valueToTree(spec);
    tree.remove("suspend");
    defaults.fill(tree);
    try {
      return SweepDocuments.fromJson(JSON.writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the Sweep's spec as JSON", e);
    }
  }
}
