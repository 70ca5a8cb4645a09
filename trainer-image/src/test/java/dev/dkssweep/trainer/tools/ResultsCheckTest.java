package dev.dkssweep.trainer.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsCheckTest {

  @Test
  void aNewReportReplacesOnlyTheMarkedBlock() {
    String doc =
        "# Results\n\nintro\n"
            + ResultsCheck.BEGIN
            + "\nold table\n"
            + ResultsCheck.END
            + "\ncommentary\n\n# Quickstart sweep\n\nkept\n";
    String merged = ResultsCheck.merge(doc, "new table\n");
    assertThat(merged)
        .isEqualTo(
            "# Results\n\nintro\n"
                + ResultsCheck.BEGIN
                + "\nnew table\n"
                + ResultsCheck.END
                + "\ncommentary\n\n# Quickstart sweep\n\nkept\n");
    assertThat(ResultsCheck.merge(merged, "newer\n")).contains("newer").doesNotContain("new table");
  }

  @Test
  void withoutMarkersTheReportIsANewDocument() {
    assertThat(ResultsCheck.merge(null, "t\n"))
        .startsWith("# Results check")
        .contains(ResultsCheck.BEGIN + "\nt\n" + ResultsCheck.END);
    assertThat(ResultsCheck.merge("unrelated", "t\n")).doesNotContain("unrelated");
  }
}
