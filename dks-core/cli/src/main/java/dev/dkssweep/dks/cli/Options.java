package dev.dkssweep.dks.cli;

import dev.dkssweep.dks.quadrature.GaussianQuadrature;
import picocli.CommandLine;

/** Option parsing shared by the commands. */
final class Options {

  private Options() {}

  static GaussianQuadrature quadrature(CommandLine.Model.CommandSpec spec, String name) {
    try {
      return GaussianQuadrature.byName(name);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--quadrature: unknown mode '" + name + "'; use accurate or reference");
    }
  }
}
