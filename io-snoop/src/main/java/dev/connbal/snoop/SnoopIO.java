package dev.connbal.snoop;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkNotNull;
import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkState;

import com.google.auto.value.AutoValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Partition;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads packet captures, snoop (RFC 1761), pcap and pcapng, from any Beam {@code FileSystem}: local
 * paths and globs, {@code s3://} with {@code beam-sdks-java-io-amazon-web-services2}, and others.
 * Each file's format is recognised by its first bytes, never by its name; the records of every
 * format come out alike ({@link SnoopRecord}, {@link SnoopRecordView}), each with its link type
 * ({@link LinkTypes}: the file's for snoop and pcap, the interface's for pcapng) and its time to
 * the microsecond. The name is snoop's, the first format read; see {@code docs/DECISIONS.md}.
 *
 * <pre>{@code
 * SnoopReadResult r = pipeline.apply(SnoopIO.read().from("/captures/*"));
 * PCollection<SnoopRecord> records = r.records();
 * PCollection<SnoopReadError> errors = r.errors();
 *
 * SnoopReadResult r2 = files.apply(SnoopIO.readFiles()); // files: PCollection<ReadableFile>
 *
 * // Decode while reading: the parser outputs what it makes of each range's records.
 * SnoopParseResult<MyAggregate> r3 = files.apply(SnoopIO.parseFiles(new MyParser()));
 * }</pre>
 *
 * <p>Uncompressed files are split into byte ranges of {@link Read#withDesiredSplitSize} (default 64
 * MiB) read in parallel; how range boundaries are found inside the stream of records, and why no
 * record is lost or read twice, is explained on {@code CaptureFileReader}. Compressed files ({@code
 * .gz} and others, by default detected from the file name, and gzip also from its magic) are read
 * whole by one worker.
 *
 * <p>Nothing is dropped silently: bad file headers (empty file, truncated header, no known magic,
 * unsupported version, a snoop datalink other than Ethernet 4 or 0), corrupt regions, truncated
 * records and unreadable files are elements of {@link SnoopReadResult#errors()}; the other files
 * and the good records of a damaged file are still read. A file that cannot be opened yields one
 * UNREADABLE error per byte range it was split into (one for files up to the split size), each
 * naming its offset and size, so that a range failing alone is never lost silently. Records of
 * snoop datalink 0 files are Ethernet, as those of datalink 4.
 *
 * <p>Beam metrics in namespace {@value #METRICS_NAMESPACE}: {@code records}, {@code recordBytes}
 * (bytes of good records, headers and padding included), {@code corruptRegions}, {@code
 * truncatedRecords}, {@code bytesSkipped} (bytes of corrupt regions and truncated records), {@code
 * resyncs} (ranges that started by resynchronising), {@code fileLevelErrors}, {@code
 * unsupportedLinkTypes} (pcap files and pcapng interfaces of a link type connbal does not decode)
 * and {@code filesWithErrors} (distinct files with at least one error). They are the read errors'
 * only metrics: transforms built on SnoopIO take these rather than count the errors again.
 */
public final class SnoopIO {
  public static final String METRICS_NAMESPACE = "connbal.snoop";
  public static final long DEFAULT_DESIRED_SPLIT_SIZE = 64L << 20;

  /**
   * The smallest desired split size: a record header (24 bytes) and some frame, so that every range
   * can hold the start of a record.
   */
  public static final long MIN_DESIRED_SPLIT_SIZE = 64;

  private SnoopIO() {}

  /** Reads the files matching a filepattern; set it with {@link Read#from}. */
  public static Read read() {
    return new AutoValue_SnoopIO_Read.Builder()
        .setDesiredSplitSize(DEFAULT_DESIRED_SPLIT_SIZE)
        .setCompression(Compression.AUTO)
        .setEmptyMatchTreatment(EmptyMatchTreatment.ALLOW_IF_WILDCARD)
        .build();
  }

  /** Reads the given files, e.g. from {@link FileIO#match()} and {@link FileIO#readMatches()}. */
  public static ReadFiles readFiles() {
    return new AutoValue_SnoopIO_ReadFiles.Builder()
        .setDesiredSplitSize(DEFAULT_DESIRED_SPLIT_SIZE)
        .setCompression(Compression.AUTO)
        .build();
  }

  /**
   * Reads the given files through {@code parser}, which sees each record in place and outputs its
   * own elements (see {@link SnoopRecordParser}): the way to decode a capture without a pipeline
   * element per packet.
   */
  public static <OutputT> ParseFiles<OutputT> parseFiles(SnoopRecordParser<OutputT> parser) {
    checkNotNull(parser, "parser");
    return new AutoValue_SnoopIO_ParseFiles.Builder<OutputT>()
        .setParser(parser)
        .setDesiredSplitSize(DEFAULT_DESIRED_SPLIT_SIZE)
        .setCompression(Compression.AUTO)
        .build();
  }

  /**
   * Checks a desired split size: every transform that takes one (SnoopIO's and those built on it)
   * rejects a size below {@link #MIN_DESIRED_SPLIT_SIZE} with this check and its message.
   *
   * @return {@code bytes}
   * @throws IllegalArgumentException if {@code bytes} is below {@link #MIN_DESIRED_SPLIT_SIZE}
   */
  public static long checkDesiredSplitSize(long bytes) {
    checkArgument(
        bytes >= MIN_DESIRED_SPLIT_SIZE,
        "desired split size must be at least %s bytes, got %s",
        MIN_DESIRED_SPLIT_SIZE,
        bytes);
    return bytes;
  }

  /** Implementation of {@link #read()}. */
  @AutoValue
  public abstract static class Read extends PTransform<PBegin, SnoopReadResult> {
    abstract @Nullable String getFilepattern();

    abstract long getDesiredSplitSize();

    abstract Compression getCompression();

    abstract EmptyMatchTreatment getEmptyMatchTreatment();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setFilepattern(String filepattern);

      abstract Builder setDesiredSplitSize(long bytes);

      abstract Builder setCompression(Compression compression);

      abstract Builder setEmptyMatchTreatment(EmptyMatchTreatment treatment);

      abstract Read build();
    }

    /** The files to read: a path or glob in any registered Beam filesystem. */
    public Read from(String filepattern) {
      checkArgument(filepattern != null && !filepattern.isEmpty(), "filepattern must be non-empty");
      return toBuilder().setFilepattern(filepattern).build();
    }

    /**
     * Size of the byte ranges uncompressed files are split into; at least {@value
     * #MIN_DESIRED_SPLIT_SIZE} bytes.
     */
    public Read withDesiredSplitSize(long bytes) {
      checkDesiredSplitSize(bytes);
      return toBuilder().setDesiredSplitSize(bytes).build();
    }

    /**
     * Compression of the files. {@link Compression#AUTO} (default) detects it from the name, and a
     * file whose name does not say it is compressed is still read as gzip when it begins with
     * gzip's magic; anything else is obeyed.
     */
    public Read withCompression(Compression compression) {
      checkNotNull(compression, "compression");
      return toBuilder().setCompression(compression).build();
    }

    /** What to do when the filepattern matches nothing (default: allowed if it has a wildcard). */
    public Read withEmptyMatchTreatment(EmptyMatchTreatment treatment) {
      checkNotNull(treatment, "emptyMatchTreatment");
      return toBuilder().setEmptyMatchTreatment(treatment).build();
    }

    @Override
    public SnoopReadResult expand(PBegin input) {
      checkState(getFilepattern() != null, "SnoopIO.read() needs a filepattern: use from(...)");
      checkDesiredSplitSize(getDesiredSplitSize());
      return input
          .apply(
              "Match",
              FileIO.match()
                  .filepattern(getFilepattern())
                  .withEmptyMatchTreatment(getEmptyMatchTreatment()))
          .apply("ReadMatches", FileIO.readMatches().withCompression(getCompression()))
          .apply(
              "ReadFiles",
              readFiles()
                  .withDesiredSplitSize(getDesiredSplitSize())
                  .withCompression(getCompression()));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder
          .addIfNotNull(DisplayData.item("filePattern", getFilepattern()).withLabel("File pattern"))
          .add(
              DisplayData.item("desiredSplitSize", getDesiredSplitSize())
                  .withLabel("Desired split size (bytes)"))
          .add(
              DisplayData.item("compression", getCompression().toString()).withLabel("Compression"))
          .add(
              DisplayData.item("emptyMatchTreatment", getEmptyMatchTreatment().toString())
                  .withLabel("Empty match treatment"));
    }
  }

  /** Implementation of {@link #readFiles()}. */
  @AutoValue
  public abstract static class ReadFiles
      extends PTransform<PCollection<FileIO.ReadableFile>, SnoopReadResult> {
    abstract long getDesiredSplitSize();

    abstract Compression getCompression();

    abstract Builder toBuilder();

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setDesiredSplitSize(long bytes);

      abstract Builder setCompression(Compression compression);

      abstract ReadFiles build();
    }

    /**
     * Size of the byte ranges uncompressed files are split into; at least {@value
     * #MIN_DESIRED_SPLIT_SIZE} bytes.
     */
    public ReadFiles withDesiredSplitSize(long bytes) {
      checkDesiredSplitSize(bytes);
      return toBuilder().setDesiredSplitSize(bytes).build();
    }

    /**
     * Compression of the files. {@link Compression#AUTO} (default) keeps each file's own, as {@link
     * FileIO#readMatches()} set it, and reads a file it calls uncompressed as gzip when it begins
     * with gzip's magic; anything else overrides it.
     */
    public ReadFiles withCompression(Compression compression) {
      checkNotNull(compression, "compression");
      return toBuilder().setCompression(compression).build();
    }

    @Override
    public SnoopReadResult expand(PCollection<FileIO.ReadableFile> files) {
      TupleTag<SnoopRecord> recordsTag = new TupleTag<SnoopRecord>("records") {};
      TupleTag<SnoopReadError> errorsTag = new TupleTag<SnoopReadError>("errors") {};
      return new SnoopReadResult(
          parse(
              files,
              new CopyRecordsParser(),
              getDesiredSplitSize(),
              getCompression(),
              recordsTag,
              errorsTag),
          recordsTag,
          errorsTag);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      populateReadDisplayData(builder, getDesiredSplitSize(), getCompression());
    }
  }

  /** Implementation of {@link #parseFiles}. */
  @AutoValue
  public abstract static class ParseFiles<OutputT>
      extends PTransform<PCollection<FileIO.ReadableFile>, SnoopParseResult<OutputT>> {
    abstract SnoopRecordParser<OutputT> getParser();

    abstract long getDesiredSplitSize();

    abstract Compression getCompression();

    abstract Builder<OutputT> toBuilder();

    @AutoValue.Builder
    abstract static class Builder<OutputT> {
      abstract Builder<OutputT> setParser(SnoopRecordParser<OutputT> parser);

      abstract Builder<OutputT> setDesiredSplitSize(long bytes);

      abstract Builder<OutputT> setCompression(Compression compression);

      abstract ParseFiles<OutputT> build();
    }

    /**
     * Size of the byte ranges uncompressed files are split into; at least {@value
     * #MIN_DESIRED_SPLIT_SIZE} bytes.
     */
    public ParseFiles<OutputT> withDesiredSplitSize(long bytes) {
      checkDesiredSplitSize(bytes);
      return toBuilder().setDesiredSplitSize(bytes).build();
    }

    /** As {@link ReadFiles#withCompression}. */
    public ParseFiles<OutputT> withCompression(Compression compression) {
      checkNotNull(compression, "compression");
      return toBuilder().setCompression(compression).build();
    }

    @Override
    public SnoopParseResult<OutputT> expand(PCollection<FileIO.ReadableFile> files) {
      TupleTag<OutputT> outputsTag = new TupleTag<OutputT>("outputs") {};
      TupleTag<SnoopReadError> errorsTag = new TupleTag<SnoopReadError>("errors") {};
      return new SnoopParseResult<>(
          parse(files, getParser(), getDesiredSplitSize(), getCompression(), outputsTag, errorsTag),
          outputsTag,
          errorsTag);
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("parser", getParser().getClass()).withLabel("Record parser"));
      populateReadDisplayData(builder, getDesiredSplitSize(), getCompression());
    }
  }

  /**
   * The reading step shared by {@link ReadFiles} and {@link ParseFiles}, and the distinct files
   * with errors ({@link SnoopParseResult#filesWithErrors}), which it counts.
   */
  private static <OutputT> PCollectionTuple parse(
      PCollection<FileIO.ReadableFile> files,
      SnoopRecordParser<OutputT> parser,
      long desiredSplitSize,
      Compression compression,
      TupleTag<OutputT> outputsTag,
      TupleTag<SnoopReadError> errorsTag) {
    checkDesiredSplitSize(desiredSplitSize);
    checkState(compression != null, "compression must be set");
    RangeReading<OutputT> reading =
        new RangeReading<>(
            parser, errorsTag, compression, CaptureFileReader.DEFAULT_MAX_INCLUDED_LENGTH);
    List<TupleTag<?>> tags = new ArrayList<>();
    tags.add(errorsTag);
    tags.addAll(parser.getAdditionalOutputs().keySet());
    Map<TupleTag<?>, Coder<?>> coders = new LinkedHashMap<>(parser.getAdditionalOutputs());
    coders.put(outputsTag, parser.getOutputCoder());
    coders.put(errorsTag, SnoopReadErrorCoder.of());
    // A watch reads each file as it comes: a grouping of all files would wait for its end.
    boolean batched = files.isBounded() == PCollection.IsBounded.BOUNDED;
    PCollectionList<FileIO.ReadableFile> bySize =
        batched
            ? files.apply(
                "SmallOrLarge",
                Partition.of(
                    2,
                    (file, n) ->
                        FileBatches.isBatched(file.getMetadata().sizeBytes(), desiredSplitSize)
                            ? 0
                            : 1))
            : PCollectionList.of(files);
    PCollectionTuple read =
        readStep(
            bySize.get(bySize.size() - 1),
            "ReadRecords",
            new ParseSnoopFn<>(reading, desiredSplitSize),
            parser,
            outputsTag,
            tags,
            coders);
    if (batched) {
      PCollectionTuple small =
          readStep(
              bySize.get(0).apply("BatchSmallFiles", FileBatches.batch(desiredSplitSize)),
              "ReadSmallFiles",
              new ReadFileBatchFn<>(reading),
              parser,
              outputsTag,
              tags,
              coders);
      PCollectionTuple both = PCollectionTuple.empty(files.getPipeline());
      int output = 0;
      for (Map.Entry<TupleTag<?>, Coder<?>> tagged : coders.entrySet()) {
        both = withBoth(both, small, read, tagged.getKey(), tagged.getValue(), output++);
      }
      read = both;
    }
    PCollection<String> filesWithErrors =
        read.get(errorsTag)
            .apply(
                "FilesOfErrors",
                MapElements.into(TypeDescriptors.strings()).via(SnoopReadError::file))
            .setCoder(StringUtf8Coder.of())
            .apply("WholeRun", WholeRun.of())
            .apply("DistinctFilesWithErrors", Distinct.create());
    filesWithErrors.apply("CountFilesWithErrors", ParDo.of(new CountFilesFn()));
    return read.and(SnoopParseResult.FILES_WITH_ERRORS, filesWithErrors);
  }

  @SuppressWarnings("unchecked") // the parser gives each additional output's tag and coder together
  private static <T> void setCoder(PCollectionTuple read, TupleTag<T> tag, Coder<?> coder) {
    read.get(tag).setCoder((Coder<T>) coder);
  }

  /** One reading step over {@code input}: {@code fn} with the parser's side inputs and outputs. */
  private static <InputT, OutputT> PCollectionTuple readStep(
      PCollection<InputT> input,
      String name,
      DoFn<InputT, OutputT> fn,
      SnoopRecordParser<OutputT> parser,
      TupleTag<OutputT> outputsTag,
      List<TupleTag<?>> tags,
      Map<TupleTag<?>, Coder<?>> coders) {
    PCollectionTuple read =
        input.apply(
            name,
            ParDo.of(fn)
                .withSideInputs(parser.getSideInputs())
                .withOutputTags(outputsTag, TupleTagList.of(tags)));
    coders.forEach((tag, coder) -> setCoder(read, tag, coder));
    return read;
  }

  /** {@code read} and, under {@code tag}, its elements of both reading steps as one collection. */
  @SuppressWarnings("unchecked") // the parser gives each output's tag and coder together
  private static <T> PCollectionTuple withBoth(
      PCollectionTuple read,
      PCollectionTuple small,
      PCollectionTuple large,
      TupleTag<T> tag,
      Coder<?> coder,
      int output) {
    PCollection<T> both =
        PCollectionList.of(small.get(tag))
            .and(large.get(tag))
            .apply("BothReads" + output, Flatten.pCollections())
            .setCoder((Coder<T>) coder);
    return read.and(tag, both);
  }

  private static void populateReadDisplayData(
      DisplayData.Builder builder, long desiredSplitSize, Compression compression) {
    builder
        .add(
            DisplayData.item("desiredSplitSize", desiredSplitSize)
                .withLabel("Desired split size (bytes)"))
        .add(DisplayData.item("compression", compression.toString()).withLabel("Compression"));
  }

  /** The parser of {@link #readFiles()}: every record, copied out as a {@link SnoopRecord}. */
  private static final class CopyRecordsParser extends SnoopRecordParser<SnoopRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public Coder<SnoopRecord> getOutputCoder() {
      return SnoopRecordCoder.of();
    }

    @Override
    public RangeParser startRange(RangeContext context, Consumer<SnoopRecord> output) {
      return new RangeParser() {
        @Override
        public void record(SnoopRecordView record) {
          output.accept(record.toRecord());
        }

        @Override
        public void finish() {}
      };
    }
  }

  /** Counts the distinct files that had at least one read error. */
  private static final class CountFilesFn extends DoFn<String, Void> {
    private static final Counter FILES_WITH_ERRORS =
        Metrics.counter(METRICS_NAMESPACE, "filesWithErrors");

    @ProcessElement
    public void processElement() {
      FILES_WITH_ERRORS.inc();
    }
  }
}
