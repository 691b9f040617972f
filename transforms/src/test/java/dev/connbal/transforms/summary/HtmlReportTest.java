package dev.connbal.transforms.summary;

import static dev.connbal.transforms.summary.BalanceSummarizerTest.row;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.connbal.transforms.output.IpFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The report's page without a browser: what the JSON holds and that no name can escape it. The page
 * itself is checked in a real Chromium by the pipeline module's HtmlReportIT.
 */
class HtmlReportTest {
  /** A name with everything that could end a script element or start markup. */
  private static final String HOSTILE = "</script><img src=x onerror=alert(1)>&amp;\"'.x.";

  @Test
  void noNameCanEndTheScriptItIsIn() {
    String page =
        HtmlReport.render(
            List.of(
                BalanceSummarizer.summarize(
                    List.of(
                        row("10.0.1.1", 80, 1, 1, HOSTILE), row("10.0.1.2", 80, 1, 1, HOSTILE)))),
            IpFormat.PLAIN);
    // The template's own two script elements end, and nothing else does.
    assertThat(count(page, "</script"), is(2));
    assertThat(page, not(containsString("<img")));
    assertThat(
        page,
        containsString(
            "\"name\":\"\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\u0026amp;"
                + "\\\"'.x.\""));
  }

  @Test
  void scriptSafeEscapesMarkupCharactersAndLineSeparators() {
    assertThat(
        HtmlReport.scriptSafe("\"a<b>&c\u2028d\u2029\""),
        equalTo("\"a\\u003cb\\u003e\\u0026c\\u2028d\\u2029\""));
  }

  @Test
  void namesFurthestFromTheirExpectedSpreadFirst() {
    // far.: one client, 9 and 1 of 10 (expected 5, 5): misplaced 4 of 10 = 40 %.
    // near.: two clients, 3/3 and 4/2: misplaced 0 + 1 = 1 of 12 = 8.3 %.
    // idle.: no connections: last.
    List<SummaryRow> rows =
        List.of(
            BalanceSummarizer.summarize(
                List.of(
                    row("10.0.1.1", null, 0, 1, "idle."), row("10.0.1.2", null, 0, 1, "idle."))),
            BalanceSummarizer.summarize(
                List.of(row("10.0.1.1", 80, 3, 1, "near."), row("10.0.1.2", 80, 3, 1, "near."))),
            BalanceSummarizer.summarize(
                    List.of(row("10.0.1.1", 80, 4, 1, "near."), row("10.0.1.2", 80, 2, 1, "near.")))
                .toBuilder()
                .setClient("10.0.0.2")
                .build(),
            BalanceSummarizer.summarize(
                List.of(row("10.0.1.1", 80, 9, 1, "far."), row("10.0.1.2", 80, 1, 1, "far."))));
    List<NameSpread> names = HtmlReport.names(rows);
    assertThat(names.stream().map(NameSpread::name).toList(), contains("far.", "near.", "idle."));
    assertThat(HtmlReport.percent(names.get(0).misplacedShare()), equalTo("40.0 %"));
    assertThat(HtmlReport.percent(names.get(1).misplacedShare()), equalTo("8.3 %"));
    assertThat(HtmlReport.percent(names.get(2).misplacedShare()), equalTo("-"));
    // near.'s clients worst first: 4/2 (max/expected 4/3) before 3/3.
    assertThat(
        names.get(1).clients().stream().map(SummaryRow::getClient).toList(),
        contains("10.0.0.2", "10.0.0.1"));
  }

  @Test
  void backendLabelsAreAddressAndPortsAsTheRowsPrintThem() {
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                row("10.0.1.1", 443, 1, 1, "a."),
                row("10.0.1.1", 80, 1, 1, "a."),
                row("10.0.1.2", null, 0, 1, "a.")));
    assertThat(
        HtmlReport.label(s.getBackends().get(0), IpFormat.PADDED),
        equalTo("010.000.001.001:80,443"));
    assertThat(HtmlReport.label(s.getBackends().get(1), IpFormat.PLAIN), equalTo("10.0.1.2:?"));
  }

  private static int count(String text, String part) {
    Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
