package dev.connbal.transforms.summary;

import static dev.connbal.transforms.summary.BalanceSummarizerTest.row;
import static dev.connbal.transforms.summary.BalanceSummarizerTest.srv;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.testing.Rows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary TSV: its header, worst first, and how values print. */
class SummaryTsvTest {
  private static SummaryRow of(String client, ConnBalRow... rows) {
    List<ConnBalRow> withClient = new ArrayList<>();
    for (ConnBalRow r : rows) {
      withClient.add(
          Rows.row(
              client,
              r.getBackend(),
              r.getPort(),
              r.getConns(),
              r.getDns(),
              r.getName(),
              r.getSrvPriority(),
              r.getSrvWeight()));
    }
    return BalanceSummarizer.summarize(withClient);
  }

  @Test
  void worstFirstByVerdictThenPThenMaxOverExpectedThenClientAddress() {
    // Verdicts as in BalanceSummarizerTest: the weights ignored (uneven, p 0.00085) and a skew
    // (uneven, p 0.00055); an unused backend; one lookup per connection; two even ones
    // (max/expected
    // 1.56 and 1.00, the latter twice, told apart by client address: 9 before 10); no connections.
    SummaryRow weightsIgnored =
        of(
            "10.0.0.7",
            srv("10.0.1.1", 8080, 17, 10, 60),
            srv("10.0.1.2", 8080, 17, 10, 20),
            srv("10.0.1.3", 8080, 16, 10, 20));
    SummaryRow skewed =
        of(
            "10.0.0.8",
            row("10.0.1.1", 80, 20, 3, "web.x."),
            row("10.0.1.2", 80, 5, 3, "web.x."),
            row("10.0.1.3", 80, 5, 3, "web.x."));
    SummaryRow unused =
        of("10.0.0.1", row("10.0.1.1", 80, 6, 1, "web.x."), row("10.0.1.2", null, 0, 1, "web.x."));
    SummaryRow reResolves =
        of("10.0.0.2", row("10.0.1.1", 80, 3, 6, "web.x."), row("10.0.1.2", 80, 3, 6, "web.x."));
    SummaryRow evenSkewed =
        of("10.0.0.3", row("10.0.1.1", 80, 7, 1, "web.x."), row("10.0.1.2", 80, 2, 1, "web.x."));
    SummaryRow even10 =
        of("10.0.0.10", row("10.0.1.1", 80, 2, 1, "web.x."), row("10.0.1.2", 80, 2, 1, "web.x."));
    SummaryRow even9 =
        of("10.0.0.9", row("10.0.1.1", 80, 2, 1, "web.x."), row("10.0.1.2", 80, 2, 1, "web.x."));
    SummaryRow none =
        of("10.0.0.1", row("10.0.1.1", null, 0, 1, "a.x."), row("10.0.1.2", null, 0, 1, "a.x."));

    String document =
        SummaryTsv.render(
            List.of(none, even10, evenSkewed, reResolves, unused, skewed, even9, weightsIgnored),
            IpFormat.PADDED);

    assertThat(
        document,
        equalTo(
            SummaryTsv.HEADER
                + "010.000.000.008\tweb.x.\t3\t30\t3\t0.10\t2.00\t0\t0.000553\tuneven\n"
                + "010.000.000.007\t_svc._tcp.x.\t3\t50\t1\t0.02\t1.70\t0\t0.000853\tuneven\n"
                + "010.000.000.001\tweb.x.\t2\t6\t1\t0.17\t2.00\t1\t-\tunused-backends\n"
                + "010.000.000.002\tweb.x.\t2\t6\t6\t1.00\t1.00\t0\t-\tre-resolves\n"
                + "010.000.000.003\tweb.x.\t2\t9\t1\t0.11\t1.56\t0\t-\teven\n"
                + "010.000.000.009\tweb.x.\t2\t4\t1\t0.25\t1.00\t0\t-\teven\n"
                + "010.000.000.010\tweb.x.\t2\t4\t1\t0.25\t1.00\t0\t-\teven\n"
                + "010.000.000.001\ta.x.\t2\t0\t1\t-\t-\t-\t-\tno-connections\n"));
  }

  @Test
  void headerNamesTheIssuesColumns() {
    assertThat(
        SummaryTsv.HEADER,
        equalTo(
            "client\tname\tbackends\tconns\tlookups\tlookups/conn\tmax/expected\tunused\tp"
                + "\tverdicts\n"));
  }

  @Test
  void pValuesPrintWithThreeSignificantDigits() {
    assertThat(SummaryTsv.pValue(1.0), equalTo("1.00"));
    assertThat(SummaryTsv.pValue(0.01), equalTo("0.0100"));
    assertThat(SummaryTsv.pValue(0.05777957), equalTo("0.0578"));
    assertThat(SummaryTsv.pValue(3.726653e-6), equalTo("3.73e-06"));
    assertThat(SummaryTsv.pValue(null), equalTo("-"));
    assertThat(SummaryTsv.ratio(0.896), equalTo("0.90"));
  }
}
