package dev.connbal.transforms.output;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.testing.DocumentsOf;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;

/**
 * The documents {@link Documents} renders, on hand-made rows whose expected text is written out by
 * hand: order, IP formats, the unknown port, SRV fields, and names that CSV and JSON must quote.
 */
class DocumentsTest {
  /** An SRV backend with priority and weight. */
  private static final ConnBalRow SRV =
      ConnBalRow.builder()
          .setClient("10.0.0.1")
          .setBackend("192.168.1.2")
          .setPort(5060)
          .setConns(3)
          .setDns(2)
          .setName("_sip._tcp.example.com.")
          .setSrvPriority(10)
          .setSrvWeight(60)
          .build();

  /** An address-record backend without a port, whose name needs quoting in CSV and JSON. */
  private static final ConnBalRow NO_PORT =
      ConnBalRow.builder()
          .setClient("10.0.0.1")
          .setBackend("192.168.1.2")
          .setConns(0)
          .setDns(1)
          .setName("a\\\\b,\"c\".example.")
          .build();

  /** Unsigned order: 255.x sorts after 10.x, although its first octet is negative as a byte. */
  private static final ConnBalRow HIGH_CLIENT =
      ConnBalRow.builder()
          .setClient("255.255.255.255")
          .setBackend("0.0.0.1")
          .setPort(80)
          .setConns(1)
          .setDns(1)
          .setName("z.")
          .build();

  /** Same client, a lower backend: first. */
  private static final ConnBalRow LOW_BACKEND =
      ConnBalRow.builder()
          .setClient("10.0.0.1")
          .setBackend("9.0.0.200")
          .setPort(443)
          .setConns(2)
          .setDns(1)
          .setName("x.")
          .build();

  private static final List<ConnBalRow> SHUFFLED = List.of(HIGH_CLIENT, SRV, NO_PORT, LOW_BACKEND);

  @Test
  void theRowSchemaHasTheFieldsInColumnOrderAndTheCsvHeaderNamesThem() throws Exception {
    Pipeline p = Pipeline.create();
    List<String> fields = p.getSchemaRegistry().getSchema(ConnBalRow.class).getFieldNames();
    assertThat(
        fields,
        contains("client", "backend", "port", "conns", "dns", "name", "srvPriority", "srvWeight"));
    assertThat(Documents.CSV_HEADER, equalTo(String.join(",", fields) + "\r\n"));
  }

  @Test
  void sortsByClientThenBackendNumericallyThenPortWithTheUnknownPortFirst() {
    assertThat(Documents.sorted(SHUFFLED), contains(LOW_BACKEND, NO_PORT, SRV, HIGH_CLIENT));
  }

  @Test
  void tsvIsSemanticsOutputPaddedOrPlain() {
    assertThat(
        render(Documents.tsv(IpFormat.PADDED), SHUFFLED),
        equalTo(
            "010.000.000.001\t009.000.000.200:443\t2\t1\tx.\n"
                + "010.000.000.001\t192.168.001.002:?\t0\t1\ta\\\\b,\"c\".example.\n"
                + "010.000.000.001\t192.168.001.002:5060\t3\t2\t_sip._tcp.example.com.\n"
                + "255.255.255.255\t000.000.000.001:80\t1\t1\tz.\n"));
    assertThat(
        render(Documents.tsv(IpFormat.PLAIN), List.of(SRV)),
        equalTo("10.0.0.1\t192.168.1.2:5060\t3\t2\t_sip._tcp.example.com.\n"));
  }

  @Test
  void csvHasAHeaderAnEmptyPortAndQuotedNames() {
    assertThat(
        render(Documents.csv(), List.of(SRV, NO_PORT)),
        equalTo(
            "client,backend,port,conns,dns,name,srvPriority,srvWeight\r\n"
                + "10.0.0.1,192.168.1.2,,0,1,\"a\\\\b,\"\"c\"\".example.\",,\r\n"
                + "10.0.0.1,192.168.1.2,5060,3,2,_sip._tcp.example.com.,10,60\r\n"));
  }

  @Test
  void jsonLinesHaveNullsAndEscapedNames() {
    assertThat(
        render(Documents.jsonl(), List.of(SRV, NO_PORT)),
        equalTo(
            "{\"client\":\"10.0.0.1\",\"backend\":\"192.168.1.2\",\"port\":null,\"conns\":0,"
                + "\"dns\":1,\"name\":\"a\\\\\\\\b,\\\"c\\\".example.\",\"srvPriority\":null,"
                + "\"srvWeight\":null}\n"
                + "{\"client\":\"10.0.0.1\",\"backend\":\"192.168.1.2\",\"port\":5060,\"conns\":3,"
                + "\"dns\":2,\"name\":\"_sip._tcp.example.com.\",\"srvPriority\":10,"
                + "\"srvWeight\":60}\n"));
  }

  @Test
  void noRowsGiveOneDocument() {
    assertThat(render(Documents.tsv(IpFormat.PADDED), List.of()), equalTo(""));
    assertThat(render(Documents.jsonl(), List.of()), equalTo(""));
    assertThat(render(Documents.csv(), List.of()), equalTo(Documents.CSV_HEADER));
  }

  /** Runs {@code render} over {@code rows} on the Direct runner; its one document. */
  private static String render(Documents.Render render, List<ConnBalRow> rows) {
    Pipeline p = DocumentsOf.directPipeline();
    try {
      return DocumentsOf.runOne(
          p.apply(Create.of(rows).withCoder(p.getSchemaRegistry().getSchemaCoder(ConnBalRow.class)))
              .apply(render));
    } catch (NoSuchSchemaException e) {
      throw new AssertionError(e);
    }
  }
}
