package dev.connbal.transforms.summary;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.output.OneDocument;
import dev.connbal.transforms.testing.DocumentsOf;
import dev.connbal.transforms.testing.Rows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Summary}'s transforms on the Direct runner: the bundled real capture's rows (its
 * hand-derived expected.tsv, with the SRV priority and weight of its DERIVATION.md section 1) give
 * its hand-derived expected-summary.tsv, whatever the shard count.
 */
class SummaryTransformTest {
  private static final Path EXPECTED_SUMMARY =
      Path.of("../examples/real-capture/expected-summary.tsv");

  /**
   * examples/real-capture/expected.tsv; both SRV answers of frame 116 have priority 0 weight 10.
   */
  private static final List<ConnBalRow> REAL_CAPTURE_ROWS =
      List.of(
          row("198.18.0.10", "198.18.1.11", 80, 2, 2, "web.lb.test."),
          row("198.18.0.10", "198.18.1.12", 80, 1, 2, "web.lb.test."),
          row("198.18.0.10", "198.18.1.13", 80, 2, 2, "web.lb.test."),
          srvRow("198.18.0.10", "198.18.1.21", 8081, 2),
          srvRow("198.18.0.10", "198.18.1.22", 8082, 1),
          row("198.18.0.11", "198.18.1.11", 80, 1, 3, "web.lb.test."),
          row("198.18.0.11", "198.18.1.12", 80, 1, 3, "web.lb.test."),
          row("198.18.0.11", "198.18.1.13", 80, 1, 3, "web.lb.test."),
          srvRow("198.18.0.11", "198.18.1.21", 8081, 2));

  private static ConnBalRow row(
      String client, String backend, int port, long conns, long dns, String name) {
    return Rows.row(client, backend, port, conns, dns, name, null, null);
  }

  private static ConnBalRow srvRow(String client, String backend, int port, long conns) {
    return Rows.row(client, backend, port, conns, 1, "_http._tcp.lb.test.", 0, 10);
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {1, 3, 256})
  void realCaptureRowsGiveTheHandDerivedSummary(int shards) throws Exception {
    String expected = Files.readString(EXPECTED_SUMMARY);
    assertThat(
        run(
            REAL_CAPTURE_ROWS,
            Summary.summarize().withShardCount(shards),
            Summary.tsv(IpFormat.PADDED)),
        equalTo(expected));
  }

  @Test
  void aWindowedInputGetsASummaryPerWindow() throws Exception {
    // The whole capture's rows in the first minute, two more rows of B's web.lb.test. in the
    // next: there B has k = 2, n = 1 + 1, L = 3: lookups/conn 1.50, re-resolves; max/expected 1.
    Pipeline p = DocumentsOf.directPipeline();
    Instant t0 = new Instant(0);
    List<TimestampedValue<ConnBalRow>> rows = new ArrayList<>();
    REAL_CAPTURE_ROWS.forEach(r -> rows.add(TimestampedValue.of(r, t0)));
    Instant t1 = t0.plus(Duration.standardMinutes(1));
    rows.add(TimestampedValue.of(row("198.18.0.11", "198.18.1.11", 80, 1, 3, "web.lb.test."), t1));
    rows.add(TimestampedValue.of(row("198.18.0.11", "198.18.1.12", 80, 1, 3, "web.lb.test."), t1));
    PCollection<String> documents =
        p.apply(
                Create.timestamped(rows)
                    .withCoder(p.getSchemaRegistry().getSchemaCoder(ConnBalRow.class)))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))))
            .apply(Summary.summarize())
            .apply(Summary.tsv(IpFormat.PADDED));
    assertThat(
        DocumentsOf.run(documents),
        containsInAnyOrder(
            Files.readString(EXPECTED_SUMMARY),
            SummaryTsv.HEADER
                + "198.018.000.011\tweb.lb.test.\t2\t2\t3\t1.50\t1.00\t0\t-\tre-resolves\n"));
  }

  @Test
  void noRowsGiveTheHeaderAlone() {
    assertThat(
        run(List.of(), Summary.summarize(), Summary.tsv(IpFormat.PLAIN)),
        equalTo(SummaryTsv.HEADER));
  }

  @Test
  void theSummarySchemaHasTheTsvColumnsFirstAndNestedBackends() throws Exception {
    Pipeline p = Pipeline.create();
    assertThat(
        p.getSchemaRegistry().getSchema(SummaryRow.class).getFieldNames(),
        contains(
            "client",
            "name",
            "backendCount",
            "conns",
            "lookups",
            "lookupsPerConn",
            "maxOverExpected",
            "unused",
            "p",
            "verdicts",
            "misplaced",
            "srv",
            "backends"));
    // A summary survives its schema coder, nulls and nested backends included.
    Coder<SummaryRow> coder = p.getSchemaRegistry().getSchemaCoder(SummaryRow.class);
    for (SummaryRow summary : BalanceSummarizer.summarizeAll(REAL_CAPTURE_ROWS)) {
      assertThat(CoderUtils.clone(coder, summary), equalTo(summary));
    }
  }

  @Test
  void displayDataShowsTheShardCount() {
    DisplayData data = DisplayData.from(Summary.summarize().withShardCount(7));
    assertThat(
        data.items().stream().map(i -> i.getKey() + "=" + i.getValue()).toList(),
        contains("shardCount=7"));
  }

  /** Summarizes {@code rows} and renders them on the Direct runner; the one document. */
  private static String run(
      List<ConnBalRow> rows, Summary.Summarize summarize, OneDocument<SummaryRow> render) {
    Pipeline p = DocumentsOf.directPipeline();
    try {
      return DocumentsOf.runOne(
          p.apply(Create.of(rows).withCoder(p.getSchemaRegistry().getSchemaCoder(ConnBalRow.class)))
              .apply(summarize)
              .apply(render));
    } catch (NoSuchSchemaException e) {
      throw new AssertionError(e);
    }
  }
}
