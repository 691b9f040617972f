package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Keys;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SnoopIO#parseFiles}: a parser sees exactly the records {@code read()} yields, in place,
 * range by range, with its side inputs, on the Direct runner and on embedded Flink, whatever the
 * split size; and the errors are those of a sequential read.
 */
class SnoopIOParseFilesTest {
  private static final int LIMIT = RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH;

  @TempDir Path tmp;

  /**
   * Outputs per range (number of records, sum over its records of a fingerprint of the whole record
   * times the side input), and the number of records again to an additional output: adding them up
   * must give the sequential read's totals.
   */
  static final class FingerprintParser extends SnoopRecordParser<KV<Long, Long>> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<Long> RECORDS_PER_RANGE = new TupleTag<>("recordsPerRange") {};
    private final PCollectionView<Long> factor;

    FingerprintParser(PCollectionView<Long> factor) {
      this.factor = factor;
    }

    @Override
    public Coder<KV<Long, Long>> getOutputCoder() {
      return KvCoder.of(VarLongCoder.of(), VarLongCoder.of());
    }

    @Override
    public List<PCollectionView<?>> getSideInputs() {
      return List.of(factor);
    }

    @Override
    public Map<TupleTag<?>, Coder<?>> getAdditionalOutputs() {
      return Map.of(RECORDS_PER_RANGE, VarLongCoder.of());
    }

    @Override
    public RangeParser startRange(RangeContext context, Consumer<KV<Long, Long>> output) {
      long f = context.get(factor);
      return new RangeParser() {
        long records;
        long sum;

        @Override
        public void record(SnoopRecordView record) {
          records++;
          sum += f * fingerprint(record.toRecord());
        }

        @Override
        public void finish() {
          output.accept(KV.of(records, sum));
          context.output(RECORDS_PER_RANGE, records);
        }
      };
    }
  }

  static long fingerprint(SnoopRecord r) {
    return r.hashCode() * 31L + r.recordOffset();
  }

  @Test
  void directRunnerParsersSeeEveryRecordOnceWhateverTheSplitSize() throws IOException {
    List<Path> files = captures();
    // 1000-byte ranges: many lie inside one long record and have no record of their own.
    for (long split : new long[] {1000, 64 << 10, SnoopIO.DEFAULT_DESIRED_SPLIT_SIZE}) {
      PipelineOptions options = PipelineOptionsFactory.create();
      options.setRunner(DirectRunner.class);
      run(Pipeline.create(options), split, files);
    }
  }

  @Test
  void embeddedFlinkParsersSeeEveryRecordOnce() throws IOException {
    List<Path> files = captures();
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    run(Pipeline.create(options), 4096, files);
  }

  @Test
  void smallFilesReadInBatchesAreEachARangeOfTheirOwn() throws IOException {
    List<Path> files = smallCaptures();
    PipelineOptions direct = PipelineOptionsFactory.create();
    direct.setRunner(DirectRunner.class);
    runSmall(Pipeline.create(direct), files);

    FlinkPipelineOptions flink = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster("[local]");
    flink.setParallelism(2);
    runSmall(Pipeline.create(flink), files);
  }

  @Test
  void askingForAnOutputTheParserDoesNotHaveFails() {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollectionView<Long> factor = p.apply("Factor", Create.of(3L)).apply(View.asSingleton());
    SnoopParseResult<KV<Long, Long>> parsed =
        p.apply(FileIO.match().filepattern(tmp.resolve("*.snoop").toString()))
            .apply(FileIO.readMatches())
            .apply(SnoopIO.parseFiles(new FingerprintParser(factor)));
    assertThat(
        parsed.output(FingerprintParser.RECORDS_PER_RANGE).getCoder(), equalTo(VarLongCoder.of()));
    assertThrows(
        IllegalArgumentException.class, () -> parsed.output(new TupleTag<Long>("other") {}));
  }

  private void run(Pipeline p, long split, List<Path> files) {
    long[] expected = expectedTotals(files, 3);
    PCollectionView<Long> factor = p.apply("Factor", Create.of(3L)).apply(View.asSingleton());
    SnoopParseResult<KV<Long, Long>> parsed =
        p.apply(FileIO.match().filepattern(tmp.resolve("*.snoop*").toString()))
            .apply(FileIO.readMatches())
            .apply(SnoopIO.parseFiles(new FingerprintParser(factor)).withDesiredSplitSize(split));
    PCollection<KV<Long, Long>> ranges = parsed.outputs();
    PAssert.that(ranges.apply("Records", Keys.create()).apply("SumRecords", Sum.longsGlobally()))
        .containsInAnyOrder(expected[0]);
    PAssert.that(
            parsed
                .output(FingerprintParser.RECORDS_PER_RANGE)
                .apply("SumRecordsAgain", Sum.longsGlobally()))
        .containsInAnyOrder(expected[0]);
    PCollection<Long> fingerprints = ranges.apply("Fingerprints", Values.create());
    PAssert.that(fingerprints.apply("SumFingerprints", Sum.longsGlobally()))
        .containsInAnyOrder(expected[1]);
    PAssert.that(parsed.errors()).containsInAnyOrder(expectedErrors(files));
    p.run().waitUntilFinish();
  }

  /**
   * Reads {@code files} (all smaller than the split size, so read in batches of about its size):
   * every file's records once, one output per file, each file's own errors.
   */
  private void runSmall(Pipeline p, List<Path> files) {
    long[] expected = expectedTotals(files, 3);
    PCollectionView<Long> factor = p.apply("Factor", Create.of(3L)).apply(View.asSingleton());
    SnoopParseResult<KV<Long, Long>> parsed =
        p.apply(FileIO.match().filepattern(tmp.resolve("small-*").toString()))
            .apply(FileIO.readMatches())
            .apply(SnoopIO.parseFiles(new FingerprintParser(factor)).withDesiredSplitSize(20_000));
    PCollection<KV<Long, Long>> ranges = parsed.outputs();
    PAssert.that(ranges.apply("Records", Keys.create()).apply("SumRecords", Sum.longsGlobally()))
        .containsInAnyOrder(expected[0]);
    PAssert.that(
            ranges
                .apply("Fingerprints", Values.create())
                .apply("SumFingerprints", Sum.longsGlobally()))
        .containsInAnyOrder(expected[1]);
    PAssert.that(
            parsed.output(FingerprintParser.RECORDS_PER_RANGE).apply("Ranges", Count.globally()))
        .containsInAnyOrder((long) files.size());
    List<SnoopReadError> errors = sequentialErrors(files);
    assertThat(errors.size(), greaterThan(2));
    PAssert.that(parsed.errors()).containsInAnyOrder(errors);
    p.run().waitUntilFinish();
  }

  /**
   * Thirty captures of a few KiB, the last three an empty file, one that is not a capture and one
   * with a corrupt region.
   */
  private List<Path> smallCaptures() throws IOException {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 27; i++) {
      files.add(write(String.format("small-%02d.snoop", i), TestCaptures.realistic(i, 30, 600)));
    }
    files.add(write("small-27.snoop", new byte[0]));
    files.add(write("small-28.snoop", "not a capture at all".getBytes(StandardCharsets.UTF_8)));
    byte[] damaged = TestCaptures.realistic(99, 40, 600);
    for (int i = 0; i < 200; i++) {
      damaged[damaged.length / 2 + i] = (byte) (i * 17);
    }
    files.add(write("small-29.snoop", damaged));
    return files;
  }

  private List<Path> captures() throws IOException {
    byte[] damaged = TestCaptures.realistic(42, 300, 1514);
    for (int i = 0; i < 2000; i++) {
      damaged[damaged.length / 3 + i] = (byte) (i * 17);
    }
    return List.of(
        write("adversarial.snoop", TestCaptures.adversarial(41, 400, 1514)),
        write("damaged.snoop", damaged));
  }

  private static long[] expectedTotals(List<Path> files, long factor) {
    long records = 0;
    long sum = 0;
    for (Path f : files) {
      for (SnoopRecord r : ReaderHarness.readSequential(f, LIMIT).records) {
        records++;
        sum += factor * fingerprint(r);
      }
    }
    assertThat(records, greaterThan(600L));
    return new long[] {records, sum};
  }

  private static List<SnoopReadError> expectedErrors(List<Path> files) {
    List<SnoopReadError> errors = sequentialErrors(files);
    assertThat(errors.size(), equalTo(1));
    return errors;
  }

  private static List<SnoopReadError> sequentialErrors(List<Path> files) {
    List<SnoopReadError> errors = new ArrayList<>();
    for (Path f : files) {
      errors.addAll(ReaderHarness.readSequential(f, LIMIT).errors);
    }
    return errors;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
