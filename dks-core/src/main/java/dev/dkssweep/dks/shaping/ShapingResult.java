package dev.dkssweep.dks.shaping;

import java.util.List;

/** The outcome of {@link Shaper#shape}: one {@link ActivationShape} per requested activation. */
public record ShapingResult(
    ShapingRequest request, LocalTarget target, List<ActivationShape> shapes) {

  public ShapingResult {
    shapes = List.copyOf(shapes);
  }

  /** The shape of the only (or first) activation. */
  public ActivationShape single() {
    return shapes.get(0);
  }
}
