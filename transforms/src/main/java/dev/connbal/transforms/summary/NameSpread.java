package dev.connbal.transforms.summary;

import java.util.Comparator;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One name over all its clients, as the report's first table ranks it: how far the name's
 * connections are from their expected spread, and how many clients got each verdict.
 *
 * @param misplaced the sum of the clients' {@link SummaryRow#getMisplaced()}
 * @param verdicts per {@link Verdict} (by ordinal), the clients with that verdict
 * @param smallestP the smallest p of its clients, null when none has one
 */
// Only read by the report, never compared with equals.
@SuppressWarnings("ArrayRecordComponent")
record NameSpread(
    String name,
    List<SummaryRow> clients,
    long conns,
    double misplaced,
    int[] verdicts,
    @Nullable Double smallestP) {

  /**
   * Furthest from the expected spread first: the larger share of misplaced connections (names
   * without connections last), then more clients, then the name.
   */
  static final Comparator<NameSpread> FURTHEST_FIRST =
      Comparator.comparing(
              NameSpread::misplacedShare, Comparator.nullsLast(Comparator.reverseOrder()))
          .thenComparing(s -> s.clients().size(), Comparator.reverseOrder())
          .thenComparing(NameSpread::name);

  /** The summaries of one name, already in the order the report lists them. */
  static NameSpread of(String name, List<SummaryRow> clients) {
    long conns = 0;
    double misplaced = 0;
    int[] verdicts = new int[Verdict.values().length];
    Double smallestP = null;
    for (SummaryRow row : clients) {
      conns += row.getConns();
      misplaced += row.getMisplaced() == null ? 0 : row.getMisplaced();
      for (String verdict : row.getVerdicts()) {
        verdicts[Verdict.labelled(verdict).ordinal()]++;
      }
      if (row.getP() != null && (smallestP == null || row.getP() < smallestP)) {
        smallestP = row.getP();
      }
    }
    return new NameSpread(name, List.copyOf(clients), conns, misplaced, verdicts, smallestP);
  }

  /**
   * The share (0 to 1) of the name's connections that would have to move to another backend for
   * each client's spread to be the expected one; null without connections.
   */
  @Nullable Double misplacedShare() {
    return conns == 0 ? null : misplaced / conns;
  }
}
