package dev.connbal.examples;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.connbal.pipeline.PathStyleS3ClientBuilderFactory;
import dev.connbal.pipeline.WriteParquet;
import dev.connbal.snoop.testing.S3ProxyServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * {@link CapturesToParquet} as a user runs it against S3 (S3Proxy on loopback, path-style through
 * connbal's client factory): the bundled real capture uploaded to a bucket, the example's main
 * pipeline on the Direct runner, and its Parquet file read back from the bucket with Beam's
 * ParquetIO. The rows must be real-capture/expected.tsv's, derived by hand
 * (real-capture/DERIVATION.md), field by field; the SRV fields, which the TSV leaves out, are the
 * SRV records' of DERIVATION.md's frame 116 (priority 0, weight 10 for both targets).
 */
class CapturesToParquetIT {
  private static final Path REAL = Path.of("real-capture");

  /**
   * DERIVATION.md, frame 116: {@code _http._tcp.lb.test SRV 0 10 8082 api2, SRV 0 10 8081 api1}.
   */
  private static final String SRV_NAME = "_http._tcp.lb.test.";

  private static final String SRV_PRIORITY_AND_WEIGHT = "0\t10";

  @Test
  void writesTheRowsOfACaptureInS3AsParquetInS3() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.startTransient()) {
      s3.createBucket("captures");
      s3.createBucket("results");
      s3.upload("captures", "2024/05/real.snoop", REAL.resolve("capture.snoop"));

      List<String> args = s3Args(s3);
      args.add("--captures=s3://captures/2024/*/*.snoop");
      args.add("--output=s3://results/connbal/lb");
      CapturesToParquet.Options options = CapturesToParquet.options(args.toArray(new String[0]));
      assertThat(CapturesToParquet.run(options), is(PipelineResult.State.DONE));

      // Exactly the one file, and no temporary object left beside it.
      List<String> objects =
          FileSystems.match("s3://results/**", EmptyMatchTreatment.ALLOW).metadata().stream()
              .map(Metadata::resourceId)
              .map(Object::toString)
              .collect(Collectors.toList());
      assertThat(objects, contains("s3://results/connbal/lb-00000-of-00001.parquet"));

      // Read back as a user would, with the same S3 options (the example's own are unused).
      Pipeline read = Pipeline.create(options);
      PCollection<String> lines =
          read.apply(
                  ParquetIO.read(WriteParquet.avroSchema())
                      .from("s3://results/connbal/lb-*.parquet"))
              .apply(MapElements.into(TypeDescriptors.strings()).via(CapturesToParquetIT::fields))
              .setCoder(StringUtf8Coder.of());
      PAssert.that(lines).containsInAnyOrder(expectedFields());
      assertThat(read.run().waitUntilFinish(), is(PipelineResult.State.DONE));
    }
  }

  /**
   * expected.tsv's rows as {@link #fields} of the Parquet records: addresses without the TSV's zero
   * padding, {@code ?} a null port, and the SRV fields of an SRV name's rows.
   */
  private static List<String> expectedFields() throws Exception {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(REAL.resolve("expected.tsv"), StandardCharsets.UTF_8)) {
      String[] columns = line.split("\t", -1);
      int colon = columns[1].lastIndexOf(':');
      String port = columns[1].substring(colon + 1);
      String name = columns[4];
      rows.add(
          String.join(
              "\t",
              plain(columns[0]),
              plain(columns[1].substring(0, colon)),
              port.equals("?") ? "null" : port,
              columns[2],
              columns[3],
              name,
              name.equals(SRV_NAME) ? SRV_PRIORITY_AND_WEIGHT : "null\tnull"));
    }
    return rows;
  }

  /** {@code 198.018.000.010} as {@code 198.18.0.10}. */
  private static String plain(String padded) {
    List<String> octets = new ArrayList<>();
    for (String octet : padded.split("\\.", -1)) {
      octets.add(Integer.toString(Integer.parseInt(octet)));
    }
    return String.join(".", octets);
  }

  /** A record's fields in schema order, tab-separated, {@code null} for a null field. */
  private static String fields(GenericRecord record) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < record.getSchema().getFields().size(); i++) {
      values.add(String.valueOf(record.get(i)));
    }
    return String.join("\t", values);
  }

  /** S3Proxy's endpoint, region and credentials, with connbal's path-style client factory. */
  private static List<String> s3Args(S3ProxyServer s3) {
    List<String> args = new ArrayList<>();
    for (String arg : s3.pipelineOptionsArgs()) {
      if (!arg.startsWith("--s3ClientFactoryClass=")) {
        args.add(arg);
      }
    }
    args.add("--s3ClientFactoryClass=" + PathStyleS3ClientBuilderFactory.class.getName());
    return args;
  }
}
