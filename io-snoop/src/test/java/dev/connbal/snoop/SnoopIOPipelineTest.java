package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.snoop.TestCaptures.Format;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SnoopIO through real runners: Direct and embedded Flink, splitting, errors, metrics. */
class SnoopIOPipelineTest {
  private static final int LIMIT = RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH;
  private static final long SPLIT = 64 << 10;

  @TempDir Path tmp;

  @Test
  void directRunnerReadsSplitFilesLikeSequentialReads() throws IOException {
    Captures c = captures();
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    SnoopReadResult result =
        p.apply(
            SnoopIO.read().from(tmp.resolve("*.snoop*").toString()).withDesiredSplitSize(SPLIT));
    PAssert.that(result.records()).containsInAnyOrder(c.records);
    PAssert.that(result.errors()).containsInAnyOrder(c.errors);
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "records"), is((long) c.records.size()));
    assertThat(counter(run, "corruptRegions"), is(1L));
    assertThat(counter(run, "filesWithErrors"), is(1L));
    assertThat(counter(run, "resyncs"), is(c.resyncs));
    assertThat(counter(run, "bytesSkipped"), is(c.errors.get(0).bytes()));
  }

  @Test
  void embeddedFlinkWithParallelismTwoReadsLikeSequentialReads() throws IOException {
    Captures c = captures();
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    Pipeline p = Pipeline.create(options);
    SnoopReadResult result =
        p.apply(
            SnoopIO.read().from(tmp.resolve("*.snoop*").toString()).withDesiredSplitSize(SPLIT));
    PAssert.that(result.records()).containsInAnyOrder(c.records);
    PAssert.that(result.errors()).containsInAnyOrder(c.errors);
    p.run().waitUntilFinish();
  }

  @Test
  void missingFileAmongSeveralIsReportedAndTheOthersAreRead() throws IOException {
    Path a = write("a.snoop", TestCaptures.realistic(21, 50, 1500));
    Path b = write("b.snoop", TestCaptures.realistic(22, 60, 1500));
    Path missing = tmp.resolve("gone.snoop");
    String missingName = missing.toString();
    List<SnoopRecord> expected = new ArrayList<>();
    expected.addAll(ReaderHarness.readSequential(a, LIMIT).records);
    expected.addAll(ReaderHarness.readSequential(b, LIMIT).records);
    List<MatchResult.Metadata> files =
        List.of(metadata(a, Files.size(a)), metadata(missing, 5000), metadata(b, Files.size(b)));

    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    SnoopReadResult result =
        p.apply(Create.of(files).withCoder(MetadataCoderV2.of()))
            .apply(FileIO.readMatches())
            .apply(SnoopIO.readFiles().withDesiredSplitSize(1024));
    PAssert.that(result.records()).containsInAnyOrder(expected);
    PAssert.that(result.errors())
        .satisfies(
            errors -> {
              // One error per byte range the 5000-byte file was split into, 5000 bytes in all.
              List<Long> offsets = new ArrayList<>();
              long bytes = 0;
              for (SnoopReadError e : errors) {
                assertThat(e.kind(), is(SnoopReadError.Kind.UNREADABLE));
                assertThat(e.file(), is(missingName));
                assertThat(e.isFileLevel(), is(true));
                assertThat(e.message(), containsString(missingName + ": cannot open: "));
                offsets.add(e.offset());
                bytes += e.bytes();
              }
              java.util.Collections.sort(offsets);
              assertThat(offsets, is(List.of(0L, 1024L, 2048L, 3072L, 4096L)));
              assertThat(bytes, is(5000L));
              return null;
            });
    // Five errors, one file.
    PAssert.that(result.filesWithErrors()).containsInAnyOrder(missingName);
    PipelineResult run = p.run();
    run.waitUntilFinish();
    assertThat(counter(run, "filesWithErrors"), is(1L));
    assertThat(counter(run, "fileLevelErrors"), is(5L));
  }

  /**
   * Every format, gzip-compressed and named as neither: gzip is told by its magic, then the format
   * by the magic inside.
   */
  @ParameterizedTest
  @EnumSource(Format.class)
  void aGzipFileIsToldByItsMagicWhateverItsName(Format format) throws IOException {
    byte[] bytes = TestCaptures.realistic(format, 61, 200, 1514);
    Path disguised = write("disguised-" + format + ".bin", gzip(bytes));
    List<SnoopRecord> expected = recordsOf(write("plain-" + format, bytes), disguised);
    assertThat(expected.size(), is(200));
    Pipeline p = Pipeline.create(directOptions());
    // Split size 64: a plain file of this size would be read in hundreds of ranges.
    SnoopReadResult result =
        p.apply(SnoopIO.read().from(disguised.toString()).withDesiredSplitSize(64));
    PAssert.that(result.records()).containsInAnyOrder(expected);
    PAssert.that(result.errors()).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void compressionOverrideIsObeyedWhateverTheMagic() throws IOException {
    byte[] bytes = TestCaptures.realistic(61, 200, 1514);
    Path disguised = write("disguised.bin", gzip(bytes));
    List<SnoopRecord> expected = recordsOf(write("plain.snoop", bytes), disguised);
    Pipeline p = Pipeline.create(directOptions());
    SnoopReadResult gzip =
        p.apply(
            "AsGzip",
            SnoopIO.read()
                .from(disguised.toString())
                .withCompression(Compression.GZIP)
                .withDesiredSplitSize(64));
    PAssert.that(gzip.records()).containsInAnyOrder(expected);
    PAssert.that(gzip.errors()).empty();
    SnoopReadResult plain =
        p.apply(
            "AsPlain",
            SnoopIO.read().from(disguised.toString()).withCompression(Compression.UNCOMPRESSED));
    PAssert.that(plain.records()).empty();
    PAssert.that(plain.errors())
        .satisfies(
            errors -> {
              List<SnoopReadError.Kind> kinds = new ArrayList<>();
              errors.forEach(e -> kinds.add(e.kind()));
              assertThat(kinds, is(List.of(SnoopReadError.Kind.BAD_MAGIC)));
              return null;
            });
    p.run().waitUntilFinish();
  }

  /** The records of {@code plain}, as a read of the same bytes named {@code as} gives them. */
  private static List<SnoopRecord> recordsOf(Path plain, Path as) throws IOException {
    List<SnoopRecord> records = new ArrayList<>();
    for (SnoopRecord r : ReaderHarness.readSequential(plain, LIMIT).records) {
      records.add(
          SnoopRecord.ofLinkType(
              as.toString(),
              r.recordOffset(),
              r.seconds(),
              r.microseconds(),
              r.originalLength(),
              r.cumulativeDrops(),
              r.linkType(),
              r.frame()));
    }
    return records;
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(bytes);
    }
    return gz.toByteArray();
  }

  private static PipelineOptions directOptions() {
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    return options;
  }

  @Test
  void optionsAreValidatedAndDisplayed() {
    IllegalArgumentException tooSmall =
        assertThrows(IllegalArgumentException.class, () -> SnoopIO.read().withDesiredSplitSize(63));
    assertThat(tooSmall.getMessage(), is("desired split size must be at least 64 bytes, got 63"));
    assertThrows(IllegalArgumentException.class, () -> SnoopIO.readFiles().withDesiredSplitSize(0));
    SnoopIO.ParseFiles<?> parse =
        SnoopIO.parseFiles(new SnoopIOParseFilesTest.FingerprintParser(null));
    assertThrows(IllegalArgumentException.class, () -> parse.withDesiredSplitSize(63));
    assertThat(SnoopIO.checkDesiredSplitSize(64), is(64L));
    assertThrows(IllegalArgumentException.class, () -> SnoopIO.read().from(""));
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> p.apply(SnoopIO.read()));
    assertThat(e.getMessage(), containsString("from(...)"));

    DisplayData data =
        DisplayData.from(SnoopIO.read().from("/x/*.snoop").withDesiredSplitSize(1000));
    assertThat(
        data.asMap()
            .get(
                DisplayData.Identifier.of(
                    DisplayData.Path.root(), SnoopIO.Read.class, "filePattern"))
            .getValue(),
        is("/x/*.snoop"));
    assertThat(
        data.asMap()
            .get(
                DisplayData.Identifier.of(
                    DisplayData.Path.root(), SnoopIO.Read.class, "desiredSplitSize"))
            .getValue(),
        is(1000L));
  }

  /** Expected output of the files in tmp: an adversarial, a damaged and a gzip capture. */
  private Captures captures() throws IOException {
    byte[] adversarial = TestCaptures.adversarial(31, 3000, 1514);
    byte[] damaged = TestCaptures.realistic(32, 2000, 1514);
    for (int i = 0; i < 3000; i++) {
      damaged[damaged.length / 2 + i] = (byte) (i * 31);
    }
    Path a = write("adversarial.snoop", adversarial);
    Path d = write("damaged.snoop", damaged);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(TestCaptures.realistic(33, 500, 1514));
    }
    Path g = write("compressed.snoop.gz", gz.toByteArray());
    Captures c = new Captures();
    // Every range of an uncompressed file but the first starts by resynchronising.
    for (Path uncompressed : List.of(a, d)) {
      c.resyncs += (Files.size(uncompressed) + SPLIT - 1) / SPLIT - 1;
    }
    for (ReaderHarness.Result r :
        List.of(
            ReaderHarness.readSequential(a, LIMIT),
            ReaderHarness.readSequential(d, LIMIT),
            ReaderHarness.readGzip(g, LIMIT))) {
      c.records.addAll(r.records);
      c.errors.addAll(r.errors);
    }
    assertThat(c.errors.size(), is(1));
    return c;
  }

  private static final class Captures {
    final List<SnoopRecord> records = new ArrayList<>();
    final List<SnoopReadError> errors = new ArrayList<>();
    long resyncs;
  }

  private static MatchResult.Metadata metadata(Path file, long size) {
    return MatchResult.Metadata.builder()
        .setResourceId(FileSystems.matchNewResource(file.toString(), false))
        .setSizeBytes(size)
        .setIsReadSeekEfficient(true)
        .setLastModifiedMillis(0)
        .build();
  }

  private static long counter(PipelineResult run, String name) {
    MetricQueryResults q =
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(SnoopIO.METRICS_NAMESPACE, name))
                    .build());
    long sum = 0;
    for (MetricResult<Long> c : q.getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
