package dev.connbal.transforms.summary;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.output.AddressOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * SEMANTICS.md's balance summary, without Beam: the rows of one client that share a name become one
 * {@link SummaryRow}.
 *
 * <p>The backends: in an address-record name, each address (its rows on several ports are one
 * backend, their #conns added: the choice DNS offers is between addresses); in an SRV name (one
 * whose rows carry an SRV priority), each row, a (target, port) as the SRV records name it.
 * Expected shares are even over an address-record name's backends; in an SRV name they follow RFC
 * 2782: only the rows of the lowest priority seen get a share, in proportion to their weights, or
 * evenly when their weights are all 0; the other rows (higher priorities, and rows without a
 * priority: a port no SRV record gave, an address no SRV record named yet) get none. Their
 * connections still count in n, so that connections to a backup target show as a shortfall on the
 * preferred ones.
 *
 * <p>Expected counts are n times a share kept as a fraction, so the test's "every expected count is
 * at least 5" and lookups/conn's "at least 0.9" compare integers, exactly.
 */
public final class BalanceSummarizer {
  /** p below this is {@link Verdict#UNEVEN}. */
  static final double UNEVEN_BELOW = 0.01;

  /** The chi-square test needs every expected count at least this. */
  static final long MIN_EXPECTED = 5;

  private BalanceSummarizer() {}

  /** The summaries of every (client, name) among {@code rows}, in no order. */
  public static List<SummaryRow> summarizeAll(Iterable<ConnBalRow> rows) {
    Map<List<String>, List<ConnBalRow>> byClientAndName = new HashMap<>();
    for (ConnBalRow row : rows) {
      byClientAndName
          .computeIfAbsent(List.of(row.getClient(), row.getName()), k -> new ArrayList<>())
          .add(row);
    }
    List<SummaryRow> summaries = new ArrayList<>(byClientAndName.size());
    byClientAndName.values().forEach(group -> summaries.add(summarize(group)));
    return summaries;
  }

  /** The summary of {@code rows}, which must be one client's rows of one name. */
  public static SummaryRow summarize(List<ConnBalRow> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a summary needs at least one row");
    }
    String client = rows.get(0).getClient();
    String name = rows.get(0).getName();
    for (ConnBalRow row : rows) {
      if (!row.getClient().equals(client) || !row.getName().equals(name)) {
        throw new IllegalArgumentException(
            "rows of one client and name expected, got " + client + " " + name + " and " + row);
      }
    }
    boolean srv = rows.stream().anyMatch(r -> r.getSrvPriority() != null);
    List<Backend> backends = srv ? srvBackends(rows) : addressBackends(rows);
    List<Share> shares = srv ? srvShares(backends) : evenShares(backends.size());
    return new Spread(client, name, srv, backends, shares).summary();
  }

  /** A backend before its share is known. */
  private record Backend(
      String address,
      List<Integer> ports,
      long conns,
      long dns,
      @Nullable Integer priority,
      @Nullable Integer weight) {
    static final Comparator<Backend> ORDER =
        Comparator.comparing(Backend::address, AddressOrder.TEXT)
            .thenComparingInt(b -> b.ports().isEmpty() ? -1 : b.ports().get(0));
  }

  /** A share of the connections, numerator / denominator, kept exact. */
  private record Share(long numerator, long denominator) {
    static final Share NONE = new Share(0, 1);

    boolean positive() {
      return numerator > 0;
    }

    double value() {
      return (double) numerator / denominator;
    }

    double of(long n) {
      return (double) n * numerator / denominator;
    }

    /** Whether n times the share is at least {@code count}. */
    boolean ofAtLeast(long n, long count) {
      return Math.multiplyExact(n, numerator) >= Math.multiplyExact(count, denominator);
    }
  }

  /** An address-record name's backends: one per address, its ports' rows added up. */
  private static List<Backend> addressBackends(List<ConnBalRow> rows) {
    Map<String, List<ConnBalRow>> byAddress = new TreeMap<>(AddressOrder.TEXT);
    for (ConnBalRow row : rows) {
      byAddress.computeIfAbsent(row.getBackend(), a -> new ArrayList<>()).add(row);
    }
    List<Backend> backends = new ArrayList<>(byAddress.size());
    byAddress.forEach(
        (address, ofAddress) -> {
          TreeSet<Integer> ports = new TreeSet<>();
          long conns = 0;
          long dns = 0;
          for (ConnBalRow row : ofAddress) {
            if (row.getPort() != null) {
              ports.add(row.getPort());
            }
            conns += row.getConns();
            dns = Math.max(dns, row.getDns());
          }
          backends.add(new Backend(address, List.copyOf(ports), conns, dns, null, null));
        });
    return backends;
  }

  /** An SRV name's backends: one per row. */
  private static List<Backend> srvBackends(List<ConnBalRow> rows) {
    List<Backend> backends = new ArrayList<>(rows.size());
    for (ConnBalRow row : rows) {
      backends.add(
          new Backend(
              row.getBackend(),
              row.getPort() == null ? List.of() : List.of(row.getPort()),
              row.getConns(),
              row.getDns(),
              row.getSrvPriority(),
              row.getSrvWeight()));
    }
    backends.sort(Backend.ORDER);
    return backends;
  }

  private static List<Share> evenShares(int k) {
    List<Share> shares = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      shares.add(new Share(1, k));
    }
    return shares;
  }

  /**
   * RFC 2782: the targets of the lowest priority, in proportion to their weights, evenly when all
   * their weights are 0; none for the others. A weight-0 target beside weighted ones gets none (the
   * RFC's "very small chance" of being selected, taken as none).
   */
  private static List<Share> srvShares(List<Backend> backends) {
    int lowest = Integer.MAX_VALUE;
    for (Backend b : backends) {
      if (b.priority() != null) {
        lowest = Math.min(lowest, b.priority());
      }
    }
    long selected = 0;
    long weights = 0;
    for (Backend b : backends) {
      if (Objects.equals(b.priority(), lowest)) {
        selected++;
        weights += b.weight() == null ? 0 : b.weight();
      }
    }
    List<Share> shares = new ArrayList<>(backends.size());
    for (Backend b : backends) {
      if (!Objects.equals(b.priority(), lowest)) {
        shares.add(Share.NONE);
      } else if (weights == 0) {
        shares.add(new Share(1, selected));
      } else {
        shares.add(b.weight() == null ? Share.NONE : new Share(b.weight(), weights));
      }
    }
    return shares;
  }

  /** One client's backends of one name with their shares: computes the summary's numbers. */
  private static final class Spread {
    private final String client;
    private final String name;
    private final boolean srv;
    private final List<Backend> backends;
    private final List<Share> shares;
    private final long n;

    Spread(String client, String name, boolean srv, List<Backend> backends, List<Share> shares) {
      this.client = client;
      this.name = name;
      this.srv = srv;
      this.backends = backends;
      this.shares = shares;
      this.n = backends.stream().mapToLong(Backend::conns).sum();
    }

    SummaryRow summary() {
      long lookups = backends.stream().mapToLong(Backend::dns).max().orElse(0);
      SummaryRow.Builder row =
          SummaryRow.builder()
              .setClient(client)
              .setName(name)
              .setBackendCount(backends.size())
              .setConns(n)
              .setLookups(lookups)
              .setSrv(srv)
              .setBackends(summaryBackends());
      if (n == 0) {
        return row.setVerdicts(List.of(Verdict.NO_CONNECTIONS.label())).build();
      }
      int unused = 0;
      double maxOverExpected = 0;
      double misplaced = 0;
      for (int i = 0; i < backends.size(); i++) {
        long conns = backends.get(i).conns();
        Share share = shares.get(i);
        misplaced += Math.abs(conns - share.of(n));
        if (share.positive()) {
          maxOverExpected = Math.max(maxOverExpected, conns / share.of(n));
          unused += conns == 0 ? 1 : 0;
        }
      }
      Double p = pValue();
      List<String> verdicts = new ArrayList<>();
      if (p != null && p < UNEVEN_BELOW) {
        verdicts.add(Verdict.UNEVEN.label());
      }
      if (unused > 0) {
        verdicts.add(Verdict.UNUSED_BACKENDS.label());
      }
      // lookups / n >= 0.9, in integers.
      if (10 * lookups >= 9 * n) {
        verdicts.add(Verdict.RE_RESOLVES.label());
      }
      if (verdicts.isEmpty()) {
        verdicts.add(Verdict.EVEN.label());
      }
      return row.setLookupsPerConn((double) lookups / n)
          .setMaxOverExpected(maxOverExpected)
          .setUnused(unused)
          .setP(p)
          .setMisplaced(misplaced / 2)
          .setVerdicts(List.copyOf(verdicts))
          .build();
    }

    /**
     * The test over the backends with a share, against n times their shares; null with fewer than
     * two of them (nothing to compare) or an expected count below {@link #MIN_EXPECTED}.
     */
    private @Nullable Double pValue() {
      List<Integer> withShare = new ArrayList<>();
      for (int i = 0; i < backends.size(); i++) {
        if (shares.get(i).positive()) {
          if (!shares.get(i).ofAtLeast(n, MIN_EXPECTED)) {
            return null;
          }
          withShare.add(i);
        }
      }
      if (withShare.size() < 2) {
        return null;
      }
      long[] observed = new long[withShare.size()];
      double[] expected = new double[withShare.size()];
      for (int j = 0; j < observed.length; j++) {
        observed[j] = backends.get(withShare.get(j)).conns();
        expected[j] = shares.get(withShare.get(j)).of(n);
      }
      return ChiSquare.pValue(ChiSquare.statistic(observed, expected), observed.length - 1);
    }

    private List<SummaryBackend> summaryBackends() {
      List<SummaryBackend> out = new ArrayList<>(backends.size());
      for (int i = 0; i < backends.size(); i++) {
        Backend b = backends.get(i);
        out.add(
            SummaryBackend.builder()
                .setBackend(b.address())
                .setPorts(b.ports())
                .setConns(b.conns())
                .setDns(b.dns())
                .setShare(shares.get(i).value())
                .setExpected(shares.get(i).of(n))
                .setSrvPriority(b.priority())
                .setSrvWeight(b.weight())
                .build());
      }
      return List.copyOf(out);
    }
  }
}
