package dev.dkssweep.sweep.control;

import dev.dkssweep.sweep.document.SweepSpec;
import dev.dkssweep.sweep.protocol.SpecViolation;
import java.util.List;

/**
 * What a driver refuses beyond the validator: a cluster operator, for example, runs only the
 * trainer images and JVM options its administrator allows. Checked with the validator, once per
 * generation; a violation refuses the generation like any other.
 */
@FunctionalInterface
public interface SpecPolicy {

  /** Allows every valid spec (local mode: the user runs their own file). */
  SpecPolicy NONE = spec -> List.of();

  /** Every reason the driver refuses {@code spec} (valid by the validator); empty when none. */
  List<SpecViolation> check(SweepSpec spec);
}
