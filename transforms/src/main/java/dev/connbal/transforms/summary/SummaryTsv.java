package dev.connbal.transforms.summary;

import dev.connbal.transforms.output.AddressOrder;
import dev.connbal.transforms.output.IpFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@code --summary} TSV: a header, then one line per {@link SummaryRow}, worst first ({@link
 * #WORST_FIRST}). Values print as {@link #ratio}, {@link #pValue} and {@code -} for none, the same
 * text the HTML report shows.
 */
public final class SummaryTsv {
  private SummaryTsv() {}

  /** The header line, the column names. */
  public static final String HEADER =
      "client\tname\tbackends\tconns\tlookups\tlookups/conn\tmax/expected\tunused\tp\tverdicts\n";

  /** What a value without one prints as. */
  public static final String NONE = "-";

  /**
   * Worst first, by what the line shows: its most severe verdict ({@link Verdict}'s order: uneven,
   * unused-backends, re-resolves, even, no-connections), then the smaller p (the stronger evidence
   * of a skew; none last), the larger max/expected (none last), the more connections; then client
   * address and name, so that the order is total and the document the same on every runner.
   */
  public static final Comparator<SummaryRow> WORST_FIRST =
      Comparator.comparing((SummaryRow r) -> Verdict.labelled(r.getVerdicts().get(0)))
          .thenComparing(SummaryRow::getP, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(
              SummaryRow::getMaxOverExpected, Comparator.nullsLast(Comparator.reverseOrder()))
          .thenComparing(SummaryRow::getConns, Comparator.reverseOrder())
          .thenComparing(SummaryRow::getClient, AddressOrder.TEXT)
          .thenComparing(SummaryRow::getName);

  /** The whole document: header and lines, worst first. */
  public static String render(List<SummaryRow> rows, IpFormat ips) {
    List<SummaryRow> sorted = new ArrayList<>(rows);
    sorted.sort(WORST_FIRST);
    StringBuilder document = new StringBuilder(HEADER);
    for (SummaryRow row : sorted) {
      document.append(line(row, ips));
    }
    return document.toString();
  }

  static String line(SummaryRow row, IpFormat ips) {
    return String.join(
            "\t",
            ips.format(row.getClient()),
            row.getName(),
            Integer.toString(row.getBackendCount()),
            Long.toString(row.getConns()),
            Long.toString(row.getLookups()),
            ratio(row.getLookupsPerConn()),
            ratio(row.getMaxOverExpected()),
            row.getUnused() == null ? NONE : row.getUnused().toString(),
            pValue(row.getP()),
            String.join(",", row.getVerdicts()))
        + '\n';
  }

  /**
   * A ratio (lookups/conn, max/expected) to two decimals; {@code -} for none. The verdicts are
   * decided on the exact values, so 0.896 prints 0.90 without {@code re-resolves}.
   */
  public static String ratio(@Nullable Double value) {
    return value == null ? NONE : String.format(Locale.ROOT, "%.2f", value);
  }

  /**
   * A p-value to three significant digits, in scientific notation below 0.0001 ({@code 0.0100},
   * {@code 0.000553}, {@code 3.73e-06}: numbers that awk and spreadsheets read); {@code -} for
   * none.
   */
  public static String pValue(@Nullable Double p) {
    return p == null ? NONE : String.format(Locale.ROOT, "%.3g", p);
  }
}
