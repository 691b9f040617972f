package dev.connbal.transforms.summary;

import dev.connbal.transforms.output.Documents;
import dev.connbal.transforms.output.IpFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The balance summary as one self-contained HTML file: the page ({@code report.html}, its CSS and
 * script inline) and the summaries as JSON inside it. Nothing is fetched when it is viewed.
 *
 * <p>The page opens with the names ranked by how far their connections are from the expected spread
 * ({@link NameSpread#FURTHEST_FIRST}), then, for the chosen name (at first the furthest), its
 * clients worst first ({@link SummaryTsv#WORST_FIRST}), each with a bar chart of connections per
 * backend against the expected connections and the summary's metrics and verdicts. Charts are drawn
 * from the JSON a page at a time (names and clients are paged and filtered in the page), so that a
 * report of ten thousand clients opens as fast as one of ten: its cost at load is parsing the JSON.
 *
 * <p>Escaping: every text of the data reaches the page as a DOM text node or attribute set by the
 * script, never as markup, so a DNS name cannot add elements; and the JSON has {@code <}, {@code >}
 * and {@code &} written as {@code \\u} escapes (as well as U+2028 and U+2029), so that no name can
 * end the script element it is in. Numbers are shown as the TSV prints them ({@link SummaryTsv}).
 *
 * <p>The JSON: {@code {"names": [name...]}}, a name {@code {"name", "clients", "conns",
 * "misplaced", "verdicts": [count per verdict in Verdict's order], "smallestP", "rows": [row...]}},
 * a row {@code {"c": client, "srv", "k", "n", "l", "lpc", "mx", "u", "p", "mis", "v": [verdict...],
 * "b": [backend...]}} and a backend {@code [label, conns, expected, expected as text, has a share,
 * SRV note]}.
 */
public final class HtmlReport {
  private static final String TEMPLATE = "report.html";
  private static final String DATA = "@DATA@";

  private HtmlReport() {}

  /** The report of {@code rows}, addresses printed as {@code ips} says. */
  public static String render(List<SummaryRow> rows, IpFormat ips) {
    String page = template();
    int at = page.indexOf(DATA);
    return page.substring(0, at) + scriptSafe(json(rows, ips)) + page.substring(at + DATA.length());
  }

  /** The names, furthest first, each with its clients worst first. */
  static List<NameSpread> names(List<SummaryRow> rows) {
    Map<String, List<SummaryRow>> byName =
        rows.stream()
            .collect(Collectors.groupingBy(SummaryRow::getName, TreeMap::new, Collectors.toList()));
    List<NameSpread> names = new ArrayList<>(byName.size());
    byName.forEach(
        (name, clients) -> {
          List<SummaryRow> sorted = new ArrayList<>(clients);
          sorted.sort(SummaryTsv.WORST_FIRST);
          names.add(NameSpread.of(name, sorted));
        });
    names.sort(NameSpread.FURTHEST_FIRST);
    return names;
  }

  private static String json(List<SummaryRow> rows, IpFormat ips) {
    StringBuilder json = new StringBuilder(256 + rows.size() * 256).append("{\"names\":[");
    List<NameSpread> names = names(rows);
    for (int i = 0; i < names.size(); i++) {
      NameSpread name = names.get(i);
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":")
          .append(Documents.jsonString(name.name()))
          .append(",\"clients\":")
          .append(name.clients().size())
          .append(",\"conns\":")
          .append(name.conns())
          .append(",\"misplaced\":")
          .append(Documents.jsonString(percent(name.misplacedShare())))
          .append(",\"verdicts\":[");
      for (int v = 0; v < name.verdicts().length; v++) {
        json.append(v == 0 ? "" : ",").append(name.verdicts()[v]);
      }
      json.append("],\"smallestP\":")
          .append(Documents.jsonString(SummaryTsv.pValue(name.smallestP())))
          .append(",\"rows\":[");
      for (int r = 0; r < name.clients().size(); r++) {
        json.append(r == 0 ? "" : ",");
        appendRow(json, name.clients().get(r), ips);
      }
      json.append("]}");
    }
    return json.append("]}").toString();
  }

  private static void appendRow(StringBuilder json, SummaryRow row, IpFormat ips) {
    json.append("{\"c\":")
        .append(Documents.jsonString(ips.format(row.getClient())))
        .append(",\"srv\":")
        .append(row.getSrv())
        .append(",\"k\":")
        .append(row.getBackendCount())
        .append(",\"n\":")
        .append(row.getConns())
        .append(",\"l\":")
        .append(row.getLookups())
        .append(",\"lpc\":\"")
        .append(SummaryTsv.ratio(row.getLookupsPerConn()))
        .append("\",\"mx\":\"")
        .append(SummaryTsv.ratio(row.getMaxOverExpected()))
        .append("\",\"u\":\"")
        .append(row.getUnused() == null ? SummaryTsv.NONE : row.getUnused())
        .append("\",\"p\":\"")
        .append(SummaryTsv.pValue(row.getP()))
        .append("\",\"mis\":\"")
        .append(SummaryTsv.ratio(row.getMisplaced()))
        .append("\",\"v\":[");
    for (int v = 0; v < row.getVerdicts().size(); v++) {
      json.append(v == 0 ? "" : ",").append(Documents.jsonString(row.getVerdicts().get(v)));
    }
    json.append("],\"b\":[");
    for (int b = 0; b < row.getBackends().size(); b++) {
      SummaryBackend backend = row.getBackends().get(b);
      json.append(b == 0 ? "[" : ",[")
          .append(Documents.jsonString(label(backend, ips)))
          .append(',')
          .append(backend.getConns())
          .append(',')
          .append(String.format(Locale.ROOT, "%.3f", backend.getExpected()))
          .append(",\"")
          .append(SummaryTsv.ratio(backend.getExpected()))
          .append("\",")
          .append(backend.getShare() > 0)
          .append(',')
          .append(Documents.jsonString(srvNote(backend)))
          .append(']');
    }
    json.append("]}");
  }

  /** {@code address:port}, as the rows print it; several ports joined by commas, none {@code ?}. */
  static String label(SummaryBackend backend, IpFormat ips) {
    String ports =
        backend.getPorts().isEmpty()
            ? "?"
            : backend.getPorts().stream().map(String::valueOf).collect(Collectors.joining(","));
    return ips.endpoint(backend.getBackend()) + ":" + ports;
  }

  private static String srvNote(SummaryBackend backend) {
    return backend.getSrvPriority() == null
        ? ""
        : "priority " + backend.getSrvPriority() + ", weight " + backend.getSrvWeight();
  }

  /** A share as a percentage to one decimal ({@code 12.5 %}); {@code -} for none. */
  static String percent(Double share) {
    return share == null ? SummaryTsv.NONE : String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }

  /**
   * JSON that can stand inside a script element: {@code <}, {@code >} and {@code &} (which occur
   * only inside strings) and the line separators JavaScript once did not allow in strings, as
   * {@code \\u} escapes.
   */
  static String scriptSafe(String json) {
    StringBuilder out = new StringBuilder(json.length() + 16);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<', '>', '&', '\u2028', '\u2029' ->
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String template() {
    try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the report page " + TEMPLATE + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
