package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.kernel.LocalDerivatives;

/**
 * Local and network kernel quantities of a shaped activation (docs/maths.md section 9 step 7).
 * Network values are maxima over the subnetworks whose conditions count (section 3.2).
 */
public record KernelDiagnostics(
    LocalDerivatives local, double networkCSlopeAt1, double networkCCurvAt1, double networkCAt0) {}
