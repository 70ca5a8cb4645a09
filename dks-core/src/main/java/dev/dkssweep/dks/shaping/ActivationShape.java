package dev.dkssweep.dks.shaping;

import dev.dkssweep.dks.activation.TransformedActivation;

/**
 * One activation's transform (canonical: alpha >= 0), its kernel diagnostics, how it was solved.
 */
public record ActivationShape(
    TransformedActivation transform, KernelDiagnostics diagnostics, SolveReport solve) {}
