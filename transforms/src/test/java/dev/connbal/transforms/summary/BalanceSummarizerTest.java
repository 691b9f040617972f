package dev.connbal.transforms.summary;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.testing.Rows;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SEMANTICS.md's balance summary on hand-computed cases. Each expectation is derived in the comment
 * above it from the rows alone: n = the sum of #conns, L = the largest #dns, expected count = n
 * times the share, chi-square = the sum of (observed - expected)^2 / expected over the backends
 * with a share, with k - 1 degrees of freedom (k backends with a share). For 2 degrees of freedom
 * the chi-square upper tail is exactly exp(-x/2), and for 1 it is erfc(sqrt(x/2)), so those
 * p-values are written out from the formula.
 */
class BalanceSummarizerTest {
  private static final double EXACT = 1e-12;

  /** An address-record row of client 10.0.0.1. */
  static ConnBalRow row(String backend, Integer port, long conns, long dns, String name) {
    return Rows.row("10.0.0.1", backend, port, conns, dns, name, null, null);
  }

  /** An SRV row of client 10.0.0.1 for _svc._tcp.x., listed by one lookup. */
  static ConnBalRow srv(String backend, int port, long conns, int priority, int weight) {
    return Rows.row("10.0.0.1", backend, port, conns, 1, "_svc._tcp.x.", priority, weight);
  }

  private static String tsv(SummaryRow row) {
    return SummaryTsv.line(row, IpFormat.PLAIN);
  }

  @Test
  void evenSpread() {
    // n = 30 over k = 3: expected 10 each; chi-square 0, df 2: p = exp(0) = 1. max/expected 10/10.
    // L = 2: lookups/conn 2/30 = 0.0667.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                row("10.0.1.1", 80, 10, 2, "web.x."),
                row("10.0.1.2", 80, 10, 2, "web.x."),
                row("10.0.1.3", 80, 10, 2, "web.x.")));
    assertThat(s.getBackendCount(), is(3));
    assertThat(s.getConns(), is(30L));
    assertThat(s.getLookups(), is(2L));
    assertThat(s.getP(), closeTo(1.0, EXACT));
    assertThat(s.getMaxOverExpected(), closeTo(1.0, EXACT));
    assertThat(s.getUnused(), is(0));
    assertThat(s.getLookupsPerConn(), closeTo(2.0 / 30, EXACT));
    assertThat(s.getMisplaced(), closeTo(0.0, EXACT));
    assertThat(s.getVerdicts(), contains("even"));
    assertThat(tsv(s), equalTo("10.0.0.1\tweb.x.\t3\t30\t2\t0.07\t1.00\t0\t1.00\teven\n"));
  }

  @Test
  void skewedSpreadIsUneven() {
    // 20, 5, 5: n = 30, expected 10 each. chi-square = (10^2 + 5^2 + 5^2) / 10 = 15, df 2:
    // p = exp(-7.5) = 0.000553084. max/expected = 20/10 = 2. misplaced = (10 + 5 + 5) / 2 = 10.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                row("10.0.1.1", 80, 20, 3, "web.x."),
                row("10.0.1.2", 80, 5, 3, "web.x."),
                row("10.0.1.3", 80, 5, 3, "web.x.")));
    assertThat(s.getP(), closeTo(0.0005530843701478336, 1e-15));
    assertThat(s.getMaxOverExpected(), closeTo(2.0, EXACT));
    assertThat(s.getMisplaced(), closeTo(10.0, EXACT));
    assertThat(s.getVerdicts(), contains("uneven"));
    assertThat(tsv(s), equalTo("10.0.0.1\tweb.x.\t3\t30\t3\t0.10\t2.00\t0\t0.000553\tuneven\n"));
  }

  @Test
  void unusedBackendWithTooFewConnectionsForAPValue() {
    // 6, 6, 0: n = 12, expected 4 each (< 5: no p). max/expected 6/4 = 1.5; one unused.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                row("10.0.1.1", 80, 6, 1, "web.x."),
                row("10.0.1.2", 80, 6, 1, "web.x."),
                row("10.0.1.3", null, 0, 1, "web.x.")));
    assertThat(s.getP(), nullValue());
    assertThat(s.getUnused(), is(1));
    assertThat(s.getVerdicts(), contains("unused-backends"));
    assertThat(tsv(s), equalTo("10.0.0.1\tweb.x.\t3\t12\t1\t0.08\t1.50\t1\t-\tunused-backends\n"));
  }

  @Test
  void unusedBackendWithEnoughConnectionsIsAlsoUneven() {
    // 15, 15, 0: expected 10 each; chi-square (25 + 25 + 100) / 10 = 15, df 2: p = exp(-7.5).
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                row("10.0.1.1", 80, 15, 1, "web.x."),
                row("10.0.1.2", 80, 15, 1, "web.x."),
                row("10.0.1.3", null, 0, 1, "web.x.")));
    assertThat(s.getP(), closeTo(0.0005530843701478336, 1e-15));
    assertThat(s.getVerdicts(), contains("uneven", "unused-backends"));
  }

  @Test
  void srvSharesFollowTheLowestPriorityInProportionToWeights() {
    // Priority 10 with weights 60, 20, 20: shares 0.6, 0.2, 0.2; the priority-20 target gets
    // none. 30, 10, 10, 0 of n = 50 is exactly expected (30, 10, 10): chi-square 0, df 2, p = 1.
    // The backup's 0 connections are not "unused": it has no share.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                srv("10.0.1.4", 8080, 0, 20, 100),
                srv("10.0.1.1", 8080, 30, 10, 60),
                srv("10.0.1.2", 8080, 10, 10, 20),
                srv("10.0.1.3", 8080, 10, 10, 20)));
    assertThat(s.getSrv(), is(true));
    assertThat(s.getBackendCount(), is(4));
    assertThat(
        s.getBackends().stream().map(SummaryBackend::getShare).toList(),
        contains(closeTo(0.6, EXACT), closeTo(0.2, EXACT), closeTo(0.2, EXACT), is(0.0)));
    assertThat(
        s.getBackends().stream().map(SummaryBackend::getExpected).toList(),
        contains(closeTo(30, EXACT), closeTo(10, EXACT), closeTo(10, EXACT), is(0.0)));
    assertThat(s.getP(), closeTo(1.0, EXACT));
    assertThat(s.getMaxOverExpected(), closeTo(1.0, EXACT));
    assertThat(s.getUnused(), is(0));
    assertThat(s.getVerdicts(), contains("even"));
  }

  @Test
  void srvClientThatIgnoresTheWeightsIsUneven() {
    // 17, 17, 16 against 30, 10, 10: chi-square = 13^2/30 + 7^2/10 + 6^2/10 = 14.1333, df 2:
    // p = exp(-7.0667) = 0.000853072. max/expected = 17/10 = 1.7. misplaced (13 + 7 + 6) / 2.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                srv("10.0.1.1", 8080, 17, 10, 60),
                srv("10.0.1.2", 8080, 17, 10, 20),
                srv("10.0.1.3", 8080, 16, 10, 20),
                srv("10.0.1.4", 8080, 0, 20, 100)));
    assertThat(s.getP(), closeTo(0.0008530719483006104, 1e-15));
    assertThat(s.getMaxOverExpected(), closeTo(1.7, EXACT));
    assertThat(s.getMisplaced(), closeTo(13.0, EXACT));
    assertThat(s.getVerdicts(), contains("uneven"));
  }

  @Test
  void connectionsToAHigherPriorityTargetShowAsAShortfallOnThePreferredOnes() {
    // 30, 10, 10 and 50 to the backup: n = 100, expected 60, 20, 20 (the backup none).
    // chi-square = 30^2/60 + 10^2/20 + 10^2/20 = 25, df 2: p = exp(-12.5) = 3.72665e-6.
    // max/expected = 0.5 on all three; misplaced = (30 + 10 + 10 + 50) / 2 = 50.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                srv("10.0.1.1", 8080, 30, 10, 60),
                srv("10.0.1.2", 8080, 10, 10, 20),
                srv("10.0.1.3", 8080, 10, 10, 20),
                srv("10.0.1.4", 8080, 50, 20, 100)));
    assertThat(s.getConns(), is(100L));
    assertThat(s.getP(), closeTo(3.726653172078671e-6, 1e-18));
    assertThat(s.getMaxOverExpected(), closeTo(0.5, EXACT));
    assertThat(s.getMisplaced(), closeTo(50.0, EXACT));
    assertThat(s.getVerdicts(), contains("uneven"));
    assertThat(
        tsv(s), equalTo("10.0.0.1\t_svc._tcp.x.\t4\t100\t1\t0.01\t0.50\t0\t3.73e-06\tuneven\n"));
  }

  @Test
  void allWeightsZeroShareEvenlyAmongTheLowestPriority() {
    // Priority 0, weights 0 and 0: shares 1/2 each, the priority-1 target none. 5 and 5: expected
    // 5 each (at least 5: tested), chi-square 0, df 1: p = erfc(0) = 1.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                srv("10.0.1.1", 8080, 5, 0, 0),
                srv("10.0.1.2", 8080, 5, 0, 0),
                srv("10.0.1.3", 8080, 0, 1, 0)));
    assertThat(
        s.getBackends().stream().map(SummaryBackend::getShare).toList(),
        contains(is(0.5), is(0.5), is(0.0)));
    assertThat(s.getP(), closeTo(1.0, EXACT));
    assertThat(s.getUnused(), is(0));
    assertThat(s.getVerdicts(), contains("even"));
  }

  @Test
  void aWeightZeroTargetBesideWeightedOnesGetsNoShare() {
    // Priority 0, weights 10 and 0: shares 10/10 and 0/10. The weight-0 target's 3 connections
    // count in n = 8 and show as a shortfall: expected 8 and 0; max/expected 5/8; one backend with
    // a share: no p.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(srv("10.0.1.1", 8080, 5, 0, 10), srv("10.0.1.2", 8080, 3, 0, 0)));
    assertThat(
        s.getBackends().stream().map(SummaryBackend::getShare).toList(),
        contains(is(1.0), is(0.0)));
    assertThat(s.getMaxOverExpected(), closeTo(5.0 / 8, EXACT));
    assertThat(s.getUnused(), is(0));
    assertThat(s.getP(), nullValue());
    assertThat(s.getMisplaced(), closeTo(3.0, EXACT));
  }

  @Test
  void tooFewConnectionsForAPValue() {
    // 7, 2: n = 9, expected 4.5 each, below 5: no p, so no "uneven" however skewed it looks.
    // max/expected = 7/4.5 = 1.556; lookups/conn 1/9 = 0.111.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(row("10.0.1.1", 80, 7, 1, "web.x."), row("10.0.1.2", 80, 2, 1, "web.x.")));
    assertThat(s.getP(), nullValue());
    assertThat(s.getVerdicts(), contains("even"));
    assertThat(tsv(s), equalTo("10.0.0.1\tweb.x.\t2\t9\t1\t0.11\t1.56\t0\t-\teven\n"));
  }

  @Test
  void anExpectedCountOfExactlyFiveIsEnough() {
    // 8, 2: expected 5 each. chi-square = (9 + 9) / 5 = 3.6, df 1: p = erfc(sqrt(1.8)) = 0.0578.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(row("10.0.1.1", 80, 8, 1, "web.x."), row("10.0.1.2", 80, 2, 1, "web.x.")));
    assertThat(s.getP(), closeTo(0.05777957112359724, 1e-12));
    assertThat(s.getVerdicts(), contains("even"));
  }

  @Test
  void aSmallSrvWeightCanLeaveAnExpectedCountBelowFive() {
    // Weights 90 and 10 of n = 20: expected 18 and 2: no p.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(srv("10.0.1.1", 8080, 10, 0, 90), srv("10.0.1.2", 8080, 10, 0, 10)));
    assertThat(s.getP(), nullValue());
    // max/expected = 10/2 = 5.
    assertThat(s.getMaxOverExpected(), closeTo(5.0, EXACT));
  }

  @Test
  void oneLookupPerConnectionReResolves() {
    // 3 and 3 connections, each backend listed by 6 lookups: L = 6, n = 6, lookups/conn 1.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(row("10.0.1.1", 80, 3, 6, "web.x."), row("10.0.1.2", 80, 3, 6, "web.x.")));
    assertThat(s.getLookupsPerConn(), closeTo(1.0, EXACT));
    assertThat(s.getVerdicts(), contains("re-resolves"));
    assertThat(tsv(s), equalTo("10.0.0.1\tweb.x.\t2\t6\t6\t1.00\t1.00\t0\t-\tre-resolves\n"));
  }

  @Test
  void reResolvesFromExactlyNineLookupsInTenConnections() {
    List<ConnBalRow> nine =
        List.of(row("10.0.1.1", 80, 5, 9, "web.x."), row("10.0.1.2", 80, 5, 9, "web.x."));
    assertThat(BalanceSummarizer.summarize(nine).getVerdicts(), contains("re-resolves"));
    List<ConnBalRow> eight =
        List.of(row("10.0.1.1", 80, 5, 8, "web.x."), row("10.0.1.2", 80, 5, 8, "web.x."));
    assertThat(BalanceSummarizer.summarize(eight).getVerdicts(), contains("even"));
  }

  @Test
  void noConnectionsLeavesTheRatiosWithoutValue() {
    // n = 0: max/expected, unused, p and lookups/conn have no value; L = 1 still shows.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(row("10.0.1.1", null, 0, 1, "web.x."), row("10.0.1.2", null, 0, 1, "web.x.")));
    assertThat(s.getLookupsPerConn(), nullValue());
    assertThat(s.getMaxOverExpected(), nullValue());
    assertThat(s.getUnused(), nullValue());
    assertThat(s.getP(), nullValue());
    assertThat(s.getMisplaced(), nullValue());
    assertThat(s.getVerdicts(), contains("no-connections"));
    assertThat(tsv(s), equalTo("10.0.0.1\tweb.x.\t2\t0\t1\t-\t-\t-\t-\tno-connections\n"));
  }

  @Test
  void anAddressBackendOnSeveralPortsIsOneBackend() {
    // 10.0.1.1 has 3 on port 80 and 2 on 443: one backend with 5; 10.0.1.2 has 5. n = 10, k = 2,
    // expected 5 each: chi-square 0, p = 1.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                row("10.0.1.1", 443, 2, 2, "web.x."),
                row("10.0.1.2", 80, 5, 2, "web.x."),
                row("10.0.1.1", 80, 3, 2, "web.x.")));
    assertThat(s.getBackendCount(), is(2));
    assertThat(s.getBackends().get(0).getPorts(), contains(80, 443));
    assertThat(s.getBackends().get(0).getConns(), is(5L));
    assertThat(s.getP(), closeTo(1.0, EXACT));
  }

  @Test
  void rowsWithoutAPriorityInAnSrvNameGetNoShare() {
    // web.x. became an SRV target for 10.0.1.1 (port 8080, a priority); 10.0.1.2 is still an
    // address backend without a connection (port ?). SRV decides: 10.0.1.1 has the whole share,
    // 10.0.1.2 none (so it is not "unused"). One backend with a share: no p.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                Rows.row("10.0.0.1", "10.0.1.1", 8080, 4, 2, "web.x.", 0, 10),
                row("10.0.1.2", null, 0, 1, "web.x.")));
    assertThat(s.getSrv(), is(true));
    assertThat(s.getBackendCount(), is(2));
    assertThat(s.getUnused(), is(0));
    assertThat(s.getP(), nullValue());
    assertThat(s.getVerdicts(), contains("even"));
    assertThat(tsv(s), equalTo("10.0.0.1\tweb.x.\t2\t4\t2\t0.50\t1.00\t0\t-\teven\n"));
  }

  @Test
  void connectionsToAPortNoSrvRecordGaveCountInNWithoutAShare() {
    // Shares: 10.0.1.1:8080 1/2, 10.0.1.1:9999 none, 10.0.1.2:8080 1/2. n = 20: expected 10, 0,
    // 10. chi-square over the two with a share: (6-10)^2/10 + 0 = 1.6, df 1:
    // p = erfc(sqrt(0.8)) = 0.2059. misplaced (4 + 4 + 0) / 2 = 4.
    SummaryRow s =
        BalanceSummarizer.summarize(
            List.of(
                srv("10.0.1.1", 8080, 6, 0, 10),
                Rows.row("10.0.0.1", "10.0.1.1", 9999, 4, 1, "_svc._tcp.x.", null, null),
                srv("10.0.1.2", 8080, 10, 0, 10)));
    assertThat(s.getBackendCount(), is(3));
    assertThat(s.getConns(), is(20L));
    assertThat(s.getP(), closeTo(0.20590321073206833, 1e-12));
    assertThat(s.getMisplaced(), closeTo(4.0, EXACT));
    assertThat(s.getMaxOverExpected(), closeTo(1.0, EXACT));
  }

  @Test
  void summarizeAllMakesOneSummaryPerClientAndName() {
    List<ConnBalRow> rows =
        List.of(
            row("10.0.1.1", 80, 1, 1, "a."),
            row("10.0.1.2", 80, 1, 1, "a."),
            row("10.0.1.1", 80, 1, 1, "b."),
            row("10.0.1.2", 80, 1, 1, "b."),
            Rows.row("10.0.0.2", "10.0.1.1", 80, 1, 1, "a.", null, null));
    List<SummaryRow> all = BalanceSummarizer.summarizeAll(rows);
    assertThat(
        all.stream()
            .map(s -> s.getClient() + " " + s.getName() + " " + s.getBackendCount())
            .sorted()
            .toList(),
        contains("10.0.0.1 a. 2", "10.0.0.1 b. 2", "10.0.0.2 a. 1"));
  }

  @Test
  void rowsOfSeveralClientsOrNamesAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BalanceSummarizer.summarize(
                List.of(row("10.0.1.1", 80, 1, 1, "a."), row("10.0.1.2", 80, 1, 1, "b."))));
    assertThrows(IllegalArgumentException.class, () -> BalanceSummarizer.summarize(List.of()));
  }
}
