package dev.connbal.transforms.output;

import dev.connbal.transforms.ConnBalRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * The analysis' rows as one text document, sorted as SEMANTICS.md's output asks (client address,
 * backend address, then port; IPv4 before IPv6; a row without a port before its backend's ports),
 * so that the document is the same whatever the runner, the parallelism or the splits.
 *
 * <ul>
 *   <li>{@link #tsv}: SEMANTICS.md's TSV, {@code client backend:port #conns #dns name};
 *   <li>{@link #csv}: RFC 4180 CSV with a header of the row's schema fields, the port empty where
 *       the TSV prints {@code ?};
 *   <li>{@link #jsonl}: one JSON object a line with the schema fields, null where a field has no
 *       value.
 * </ul>
 *
 * <p>Each transform outputs exactly one element, the whole document (empty for TSV and JSON lines
 * when there are no rows; the header alone for CSV), made by {@link OneDocument}: the rows are
 * gathered in one place to be sorted, as many as (client, backend, port) keys, never one per
 * packet.
 */
public final class Documents {
  private Documents() {}

  /** The column names of the TSV, as {@code --header} prints them. */
  public static final String TSV_HEADER = "client-ip\tbackend-ip:port\t#conns\t#dns\tname\n";

  /** The CSV header: the row schema's field names. */
  public static final String CSV_HEADER =
      "client,backend,port,conns,dns,name,srvPriority,srvWeight\r\n";

  /** SEMANTICS.md's TSV, addresses printed as {@code ips} says. */
  public static Render tsv(IpFormat ips) {
    return new Render("TSV", "", row -> tsvLine(row, ips));
  }

  /** CSV (RFC 4180, CRLF line ends) with {@link #CSV_HEADER}. */
  public static Render csv() {
    return new Render("CSV", CSV_HEADER, Documents::csvLine);
  }

  /** JSON lines: one object a row, with the schema's field names as keys. */
  public static Render jsonl() {
    return new Render("JSON lines", "", Documents::jsonLine);
  }

  /** Renders rows into one sorted document; see {@link Documents}. */
  public static final class Render
      extends PTransform<PCollection<ConnBalRow>, PCollection<String>> {
    private final String format;
    private final String header;
    private final LineFormat lines;

    private Render(String format, String header, LineFormat lines) {
      this.format = format;
      this.header = header;
      this.lines = lines;
    }

    @Override
    public PCollection<String> expand(PCollection<ConnBalRow> rows) {
      String header = this.header;
      LineFormat lines = this.lines;
      return rows.apply(
          "SortedDocument",
          OneDocument.of(
              format,
              all -> {
                StringBuilder document = new StringBuilder(header);
                for (ConnBalRow row : sorted(all)) {
                  document.append(lines.line(row));
                }
                return document.toString();
              }));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("format", format).withLabel("Document format"));
    }
  }

  /** One row as one line of a document, ending in its line break. */
  @FunctionalInterface
  interface LineFormat extends Serializable {
    String line(ConnBalRow row);
  }

  /** {@code rows} in document order; each address is parsed once. */
  public static List<ConnBalRow> sorted(List<ConnBalRow> rows) {
    List<Keyed> keyed = new ArrayList<>(rows.size());
    for (ConnBalRow row : rows) {
      keyed.add(
          new Keyed(AddressOrder.key(row.getClient()), AddressOrder.key(row.getBackend()), row));
    }
    keyed.sort(Keyed.ORDER);
    List<ConnBalRow> sorted = new ArrayList<>(keyed.size());
    keyed.forEach(k -> sorted.add(k.row()));
    return sorted;
  }

  /** A row with its addresses' sort keys. */
  // Only sorted by ORDER, which compares the arrays' contents; never compared with equals.
  @SuppressWarnings("ArrayRecordComponent")
  private record Keyed(byte[] client, byte[] backend, ConnBalRow row) {
    static final Comparator<Keyed> ORDER =
        Comparator.comparing(Keyed::client, AddressOrder.KEYS)
            .thenComparing(Keyed::backend, AddressOrder.KEYS)
            .thenComparingInt(k -> k.row().getPort() == null ? -1 : k.row().getPort());
  }

  static String tsvLine(ConnBalRow row, IpFormat ips) {
    return ips.format(row.getClient())
        + '\t'
        + ips.format(row.getBackend())
        + ':'
        + (row.getPort() == null ? "?" : row.getPort().toString())
        + '\t'
        + row.getConns()
        + '\t'
        + row.getDns()
        + '\t'
        + row.getName()
        + '\n';
  }

  static String csvLine(ConnBalRow row) {
    return String.join(
            ",",
            row.getClient(),
            row.getBackend(),
            orEmpty(row.getPort()),
            Long.toString(row.getConns()),
            Long.toString(row.getDns()),
            csvField(row.getName()),
            orEmpty(row.getSrvPriority()),
            orEmpty(row.getSrvWeight()))
        + "\r\n";
  }

  static String jsonLine(ConnBalRow row) {
    return "{\"client\":"
        + jsonString(row.getClient())
        + ",\"backend\":"
        + jsonString(row.getBackend())
        + ",\"port\":"
        + row.getPort()
        + ",\"conns\":"
        + row.getConns()
        + ",\"dns\":"
        + row.getDns()
        + ",\"name\":"
        + jsonString(row.getName())
        + ",\"srvPriority\":"
        + row.getSrvPriority()
        + ",\"srvWeight\":"
        + row.getSrvWeight()
        + "}\n";
  }

  private static String orEmpty(Integer value) {
    return value == null ? "" : value.toString();
  }

  /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
  private static String csvField(String text) {
    if (text.indexOf(',') < 0
        && text.indexOf('"') < 0
        && text.indexOf('\n') < 0
        && text.indexOf('\r') < 0) {
      return text;
    }
    return '"' + text.replace("\"", "\"\"") + '"';
  }

  /** A JSON string literal (RFC 8259): quote, backslash and control characters escaped. */
  public static String jsonString(String text) {
    StringBuilder s = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        s.append('\\').append(c);
      } else if (c < 0x20) {
        s.append(String.format("\\u%04x", (int) c));
      } else {
        s.append(c);
      }
    }
    return s.append('"').toString();
  }
}
