package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.activation.Activation;
import dev.dkssweep.dks.exception.InvalidArgumentException;
import dev.dkssweep.dks.network.Architecture;
import java.util.List;
import java.util.Objects;

/** Activations of one network, the method, and the architecture through which targets apply. */
public record ShapingRequest(
    List<Activation> activations, ShapingMethod method, Architecture architecture) {

  public ShapingRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(architecture, "architecture");
    activations = List.copyOf(activations);
    if (activations.isEmpty()) {
      throw new InvalidArgumentException("activations", "at least one activation is needed");
    }
  }

  public static ShapingRequest of(
      Activation activation, ShapingMethod method, Architecture architecture) {
    return new ShapingRequest(List.of(activation), method, architecture);
  }
}
