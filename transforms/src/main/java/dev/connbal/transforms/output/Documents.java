package dev.connbal.transforms.output;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.keys.IpAddress;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
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

  /** The column names of a windowed TSV ({@link Render}): the window's start first. */
  public static final String WINDOWED_TSV_HEADER = "window-start\t" + TSV_HEADER;

  /** The CSV header: the row schema's field names. */
  public static final String CSV_HEADER =
      "client,backend,port,conns,dns,name,srvPriority,srvWeight\r\n";

  /** SEMANTICS.md's TSV, addresses printed as {@code ips} says. */
  public static Render tsv(IpFormat ips) {
    return new Render("TSV", "", row -> tsvLine(row, ips), (start, line) -> start + '\t' + line);
  }

  /** CSV (RFC 4180, CRLF line ends) with {@link #CSV_HEADER}. */
  public static Render csv() {
    return new Render("CSV", CSV_HEADER, Documents::csvLine, (start, line) -> start + ',' + line);
  }

  /** JSON lines: one object a row, with the schema's field names as keys. */
  public static Render jsonl() {
    return new Render(
        "JSON lines",
        "",
        Documents::jsonLine,
        (start, line) -> "{\"window_start\":\"" + start + "\"," + line.substring(1));
  }

  /**
   * Renders rows into one sorted document; see {@link Documents}. Rows in windows other than the
   * global one (a windowed run's) give one document per window and pane, whose lines start with the
   * window's start in ISO 8601 UTC ({@code window-start} in the TSV, {@code window_start} in the
   * CSV and JSON lines); rows of one key within a window are added up, so that a window's document
   * made again with late rows holds their sums.
   */
  public static final class Render
      extends PTransform<PCollection<ConnBalRow>, PCollection<String>> {
    private final String format;
    private final String header;
    private final LineFormat lines;
    private final WindowColumn windowColumn;

    private Render(String format, String header, LineFormat lines, WindowColumn windowColumn) {
      this.format = format;
      this.header = header;
      this.lines = lines;
      this.windowColumn = windowColumn;
    }

    @Override
    public PCollection<String> expand(PCollection<ConnBalRow> rows) {
      boolean windowed = !(rows.getWindowingStrategy().getWindowFn() instanceof GlobalWindows);
      String header = windowed ? "" : this.header;
      LineFormat lines = this.lines;
      PCollection<String> documents =
          rows.apply(
              "SortedDocument",
              OneDocument.of(
                  format,
                  all -> {
                    StringBuilder document = new StringBuilder(header);
                    for (ConnBalRow row : sorted(merged(all))) {
                      document.append(lines.line(row));
                    }
                    return document.toString();
                  }));
      if (!windowed) {
        return documents;
      }
      String windowHeader =
          this.header.isEmpty() ? "" : windowColumn.line(WINDOW_START, this.header);
      return documents
          .apply("WindowStart", ParDo.of(new WindowStartFn(windowHeader, windowColumn)))
          .setCoder(StringUtf8Coder.of());
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("format", format).withLabel("Document format"));
    }
  }

  /** The header field of the window's start, CSV and JSON style. */
  private static final String WINDOW_START = "window_start";

  /** The start of {@code window} as a windowed document prints it: ISO 8601 UTC. */
  public static String windowStart(BoundedWindow window) {
    return java.time.Instant.ofEpochMilli(((IntervalWindow) window).start().getMillis()).toString();
  }

  /** A line of a document with the window's start put in front, as the format has it. */
  @FunctionalInterface
  interface WindowColumn extends Serializable {
    String line(String windowStart, String line);
  }

  /** Puts the window's start in front of every line of a window's document, after its header. */
  private static final class WindowStartFn extends DoFn<String, String> {
    private final String header;
    private final WindowColumn column;

    WindowStartFn(String header, WindowColumn column) {
      this.header = header;
      this.column = column;
    }

    @ProcessElement
    public void process(
        @Element String document, BoundedWindow window, OutputReceiver<String> out) {
      String start = windowStart(window);
      StringBuilder framed = new StringBuilder(header);
      for (int from = 0, to; from < document.length(); from = to) {
        to = document.indexOf('\n', from) + 1;
        framed.append(column.line(start, document.substring(from, to)));
      }
      out.output(framed.toString());
    }
  }

  /** One row as one line of a document, ending in its line break. */
  @FunctionalInterface
  interface LineFormat extends Serializable {
    String line(ConnBalRow row);
  }

  /**
   * {@code rows} with those of one (client, backend, port) added up into the first of them: its
   * name, and its SRV priority and weight, which the rows of one key within a window share but for
   * an SRV answer that came in between. A key whose sums are both 0 (a window's {@code ?} row taken
   * back when the backend's port became known) has no row.
   */
  public static List<ConnBalRow> merged(List<ConnBalRow> rows) {
    Map<List<Object>, ConnBalRow> byKey = new LinkedHashMap<>();
    for (ConnBalRow row : rows) {
      byKey.merge(
          Arrays.asList(row.getClient(), row.getBackend(), row.getPort()),
          row,
          (a, b) ->
              ConnBalRow.builder()
                  .setClient(a.getClient())
                  .setBackend(a.getBackend())
                  .setPort(a.getPort())
                  .setConns(a.getConns() + b.getConns())
                  .setDns(a.getDns() + b.getDns())
                  .setName(a.getName())
                  .setSrvPriority(a.getSrvPriority())
                  .setSrvWeight(a.getSrvWeight())
                  .build());
    }
    List<ConnBalRow> sums = new ArrayList<>();
    for (ConnBalRow row : byKey.values()) {
      if (row.getConns() != 0 || row.getDns() != 0) {
        sums.add(row);
      }
    }
    return sums;
  }

  /** {@code rows} in document order; each address is parsed once. */
  public static List<ConnBalRow> sorted(List<ConnBalRow> rows) {
    List<Keyed> keyed = new ArrayList<>(rows.size());
    for (ConnBalRow row : rows) {
      keyed.add(
          new Keyed(IpAddress.parse(row.getClient()), IpAddress.parse(row.getBackend()), row));
    }
    keyed.sort(Keyed.ORDER);
    List<ConnBalRow> sorted = new ArrayList<>(keyed.size());
    keyed.forEach(k -> sorted.add(k.row()));
    return sorted;
  }

  /** A row with its addresses, parsed once for sorting. */
  private record Keyed(IpAddress client, IpAddress backend, ConnBalRow row) {
    static final Comparator<Keyed> ORDER =
        Comparator.comparing(Keyed::client)
            .thenComparing(Keyed::backend)
            .thenComparingInt(k -> k.row().getPort() == null ? -1 : k.row().getPort());
  }

  static String tsvLine(ConnBalRow row, IpFormat ips) {
    return ips.format(row.getClient())
        + '\t'
        + ips.endpoint(row.getBackend())
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
