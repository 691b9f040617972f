package dev.connbal.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.ConnBal;
import dev.connbal.transforms.ConnBalRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WriteParquet}: the rows of the analysis (of {@link TestCaptures}, whose TSV is derived by
 * hand) and hand-made rows written as Parquet and read back with parquet-avro's reader, apart from
 * the Beam sink that wrote them, field by field; the files' schema and names.
 */
class WriteParquetTest {
  @TempDir Path work;

  @Test
  void theRowsOfTheAnalysisReadBackFieldByField() throws Exception {
    Path api = TestCaptures.writeApi(work.resolve("api.snoop"));
    TestCaptures.writeDb(work.resolve("db.snoop"));
    Path out = Files.createDirectories(work.resolve("out"));

    Pipeline pipeline = pipeline();
    WriteParquet write = WriteParquet.to(out.resolve("lb").toString());
    pipeline
        .apply(ConnBal.analyze().from(api.getParent().resolve("*.snoop").toString()))
        .rows()
        .apply(write);
    pipeline.run().waitUntilFinish();

    Path file = out.resolve("lb-00000-of-00001.parquet");
    assertThat(listing(out), contains("lb-00000-of-00001.parquet"));
    assertThat(localPaths(write.files()), contains(file));
    // TestCaptures.API_TSV and DB_TSV, as records: addresses in plain text, `?` a null port,
    // no SRV record behind any of these backends.
    assertThat(
        Lists.of(ParquetFiles.records(file)),
        containsInAnyOrder(
            Arrays.asList("10.0.0.1", "10.0.1.1", 443, 2L, 1L, "api.example.com.", null, null),
            Arrays.asList("10.0.0.1", "10.0.1.2", 443, 1L, 1L, "api.example.com.", null, null),
            Arrays.asList("10.0.0.2", "10.0.2.1", 5432, 1L, 1L, "db.example.org.", null, null),
            Arrays.asList("10.0.0.2", "10.0.2.2", null, 0L, 1L, "db.example.org.", null, null)));
  }

  @Test
  void handMadeRowsWithSrvFieldsAndAwkwardNamesReadBackAsTheyWere() throws Exception {
    ConnBalRow srv =
        ConnBalRow.builder()
            .setClient("192.0.2.7")
            .setBackend("198.51.100.21")
            .setPort(8081)
            .setConns(Long.MAX_VALUE)
            .setDns(3)
            .setName("_http._tcp.lb.test.")
            .setSrvPriority(0)
            .setSrvWeight(65535)
            .build();
    ConnBalRow noPort =
        ConnBalRow.builder()
            .setClient("2001:db8::1")
            .setBackend("2001:db8::53")
            .setConns(0)
            .setDns(1)
            .setName("we\\.ird\\\\\\009\\,\"name\". ")
            .setSrvPriority(10)
            .setSrvWeight(0)
            .build();

    Pipeline pipeline = pipeline();
    pipeline.apply(Create.of(srv, noPort)).apply(WriteParquet.to(work.resolve("rows").toString()));
    pipeline.run().waitUntilFinish();

    Path file = work.resolve("rows-00000-of-00001.parquet");
    assertThat(
        Lists.of(ParquetFiles.records(file)),
        containsInAnyOrder(
            Arrays.asList(
                "192.0.2.7",
                "198.51.100.21",
                8081,
                Long.MAX_VALUE,
                3L,
                "_http._tcp.lb.test.",
                0,
                65535),
            Arrays.asList(
                "2001:db8::1",
                "2001:db8::53",
                null,
                0L,
                1L,
                "we\\.ird\\\\\\009\\,\"name\". ",
                10,
                0)));
  }

  @Test
  void theFilesSchemaIsTheRowSchemaWithOptionalColumnsForItsNullableFields() throws Exception {
    Pipeline pipeline = pipeline();
    pipeline
        .apply(Create.of(TestRows.A_ROW))
        .apply(WriteParquet.to(work.resolve("schema").toString()));
    pipeline.run().waitUntilFinish();

    assertThat(
        ParquetFiles.schema(work.resolve("schema-00000-of-00001.parquet")),
        equalTo(
            MessageTypeParser.parseMessageType(
                "message dev.connbal.ConnBalRow {\n"
                    + "  required binary client (STRING);\n"
                    + "  required binary backend (STRING);\n"
                    + "  optional int32 port;\n"
                    + "  required int64 conns;\n"
                    + "  required int64 dns;\n"
                    + "  required binary name (STRING);\n"
                    + "  optional int32 srvPriority;\n"
                    + "  optional int32 srvWeight;\n"
                    + "}")));
  }

  @Test
  void withoutRowsTheFileHasTheSchemaAndNoRows() throws Exception {
    Pipeline pipeline = pipeline();
    PCollection<ConnBalRow> none =
        pipeline.apply(Create.empty(TypeDescriptor.of(ConnBalRow.class)));
    WriteParquet write = WriteParquet.to(work.resolve("none").toString());
    none.apply(write);
    pipeline.run().waitUntilFinish();

    Path file = work.resolve("none-00000-of-00001.parquet");
    assertThat(localPaths(write.files()), contains(file));
    assertThat(ParquetFiles.records(file), is(empty()));
    assertThat(
        ParquetFiles.schema(file).getName(), equalTo(WriteParquet.avroSchema().getFullName()));
  }

  @Test
  void aDirectoryPrefixGetsConnbalFilesInsideAndASecondRunReplacesThem() throws Exception {
    Path dir = Files.createDirectories(work.resolve("results"));
    ConnBalRow second = TestRows.aRow().setConns(99).build();

    for (ConnBalRow row : List.of(TestRows.A_ROW, second)) {
      Pipeline pipeline = pipeline();
      pipeline.apply(Create.of(row)).apply(WriteParquet.to(dir.toString()).withNumShards(2));
      pipeline.run().waitUntilFinish();
    }

    assertThat(
        listing(dir), contains("connbal-00000-of-00002.parquet", "connbal-00001-of-00002.parquet"));
    pipeline(); // the file systems, for files()
    assertThat(
        localPaths(WriteParquet.to(dir + "/").withNumShards(2).files()),
        contains(
            dir.resolve("connbal-00000-of-00002.parquet"),
            dir.resolve("connbal-00001-of-00002.parquet")));
    List<List<Object>> records =
        Stream.of(
                ParquetFiles.records(dir.resolve("connbal-00000-of-00002.parquet")),
                ParquetFiles.records(dir.resolve("connbal-00001-of-00002.parquet")))
            .flatMap(List::stream)
            .map(Lists::of)
            .collect(Collectors.toList());
    assertThat(records, contains(Lists.of(second)));
  }

  @Test
  void badArgumentsAreRejectedWithTheirKind() {
    assertThrows(IllegalArgumentException.class, () -> WriteParquet.to(""));
    assertThrows(IllegalArgumentException.class, () -> WriteParquet.to("x").withNumShards(-1));
    IllegalStateException unknownNames =
        assertThrows(
            IllegalStateException.class, () -> WriteParquet.to("x").withNumShards(0).files());
    assertThat(
        unknownNames.getMessage(),
        equalTo("Parquet file names depend on the runner when the shard count is not fixed"));
  }

  private static Pipeline pipeline() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return Pipeline.create(options);
  }

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static List<Path> localPaths(List<ResourceId> files) {
    return files.stream().map(f -> Path.of(f.toString())).collect(Collectors.toList());
  }

  /** Rows made by hand. */
  private static final class TestRows {
    static final ConnBalRow A_ROW = aRow().build();

    static ConnBalRow.Builder aRow() {
      return ConnBalRow.builder()
          .setClient("10.0.0.1")
          .setBackend("10.0.1.1")
          .setPort(443)
          .setConns(2)
          .setDns(1)
          .setName("api.example.com.");
    }
  }

  /** Records and rows as lists of field values in schema order, strings as Java strings. */
  private static final class Lists {
    static List<List<Object>> of(List<GenericRecord> records) {
      return records.stream().map(Lists::of).collect(Collectors.toList());
    }

    static List<Object> of(GenericRecord record) {
      Object[] values = new Object[record.getSchema().getFields().size()];
      for (int i = 0; i < values.length; i++) {
        Object value = record.get(i);
        values[i] = value instanceof CharSequence ? value.toString() : value;
      }
      return Arrays.asList(values);
    }

    static List<Object> of(ConnBalRow row) {
      return Arrays.asList(
          row.getClient(),
          row.getBackend(),
          row.getPort(),
          row.getConns(),
          row.getDns(),
          row.getName(),
          row.getSrvPriority(),
          row.getSrvWeight());
    }
  }
}
