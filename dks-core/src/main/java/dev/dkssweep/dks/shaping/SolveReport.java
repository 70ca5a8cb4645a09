package dev.dkssweep.dks.shaping;

import java.util.List;

/**
 * How a transform was found (docs/maths.md section 9 step 7).
 *
 * @param startIndex the accepted start (0-based, section 5.4); -1 for closed forms
 * @param startsTried starts run, including the accepted one
 * @param evaluations residual evaluations over all starts
 * @param residualMax max |residual| of the accepted solution
 * @param notes plain-sentence remarks (closed form used, start rejected, condition not imposed...)
 */
public record SolveReport(
    int startIndex, int startsTried, int evaluations, double residualMax, List<String> notes) {

  public SolveReport {
    notes = List.copyOf(notes);
  }

  public static SolveReport closedForm(double residualMax, List<String> notes) {
    return new SolveReport(-1, 0, 0, residualMax, notes);
  }
}
