package dev.connbal.snoop;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The splittable DoFn behind {@link SnoopIO}: one element per file, byte-offset restrictions, what
 * the {@link SnoopRecordParser} makes of each range's records to the main output and {@link
 * SnoopReadError}s to another. Reading itself is {@link CaptureFileReader}'s job.
 */
@DoFn.BoundedPerElement
final class ParseSnoopFn<OutputT> extends DoFn<FileIO.ReadableFile, OutputT> {
  private static final Counter RECORDS = Metrics.counter(SnoopIO.METRICS_NAMESPACE, "records");
  private static final Counter RECORD_BYTES =
      Metrics.counter(SnoopIO.METRICS_NAMESPACE, "recordBytes");
  private static final Counter CORRUPT_REGIONS =
      Metrics.counter(SnoopIO.METRICS_NAMESPACE, "corruptRegions");
  private static final Counter TRUNCATED_RECORDS =
      Metrics.counter(SnoopIO.METRICS_NAMESPACE, "truncatedRecords");
  private static final Counter BYTES_SKIPPED =
      Metrics.counter(SnoopIO.METRICS_NAMESPACE, "bytesSkipped");
  private static final Counter RESYNCS = Metrics.counter(SnoopIO.METRICS_NAMESPACE, "resyncs");
  private static final Counter UNSUPPORTED_LINK_TYPES =
      Metrics.counter(SnoopIO.METRICS_NAMESPACE, "unsupportedLinkTypes");
  private static final Counter FILE_LEVEL_ERRORS =
      Metrics.counter(SnoopIO.METRICS_NAMESPACE, "fileLevelErrors");

  /** How many record bytes are read between two updates of the records and recordBytes metrics. */
  private static final long METRICS_INTERVAL_BYTES = 1 << 20;

  private final SnoopRecordParser<OutputT> parser;
  private final TupleTag<SnoopReadError> errorsTag;
  private final long desiredSplitSize;
  private final Compression compression;
  private final int maxIncludedLength;

  /**
   * @param compression {@link Compression#AUTO} to use each file's own (as {@link
   *     FileIO#readMatches()} set it), anything else to override it
   */
  ParseSnoopFn(
      SnoopRecordParser<OutputT> parser,
      TupleTag<SnoopReadError> errorsTag,
      long desiredSplitSize,
      Compression compression,
      int maxIncludedLength) {
    this.parser = parser;
    this.errorsTag = errorsTag;
    this.desiredSplitSize = desiredSplitSize;
    this.compression = compression;
    this.maxIncludedLength = maxIncludedLength;
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element FileIO.ReadableFile file) {
    // Never empty, so that even an empty file gets a claim to report it under.
    return new OffsetRange(0, Math.max(1, file.getMetadata().sizeBytes()));
  }

  @SplitRestriction
  public void splitRestriction(
      @Element FileIO.ReadableFile file,
      @Restriction OffsetRange restriction,
      OutputReceiver<OffsetRange> out) {
    if (!isSplittable(file)) {
      out.output(restriction);
      return;
    }
    for (OffsetRange piece : withGivenStarts(file, split(restriction, desiredSplitSize))) {
      out.output(piece);
    }
  }

  /**
   * The pieces of a file of several, given their starts when its format needs a walk to learn them
   * ({@link CaptureFileReader#withGivenStarts}): one walk here instead of one per piece. A file
   * that cannot be opened or read here is left to its pieces, which report it.
   */
  private List<OffsetRange> withGivenStarts(FileIO.ReadableFile file, List<OffsetRange> pieces) {
    if (pieces.size() < 2) {
      return pieces;
    }
    MatchResult.Metadata metadata = file.getMetadata();
    String name = metadata.resourceId().toString();
    try (ReadableByteChannel channel = FileSystems.open(metadata.resourceId())) {
      if (checksMagic(file)
          && channel instanceof SeekableByteChannel seekable
          && GzipMagic.startsWithGzip(seekable)) {
        return List.of(new OffsetRange(0, pieces.get(pieces.size() - 1).getTo()));
      }
      try (CaptureFileReader reader =
          CaptureFileReader.open(name, channel, maxIncludedLength, false, Long.MAX_VALUE)) {
        return reader.withGivenStarts(pieces, metadata.sizeBytes());
      }
    } catch (IOException e) {
      return pieces;
    }
  }

  @NewTracker
  public RecordOffsetTracker newTracker(@Restriction OffsetRange restriction) {
    return new RecordOffsetTracker(restriction);
  }

  @GetSize
  public double getSize(@Restriction OffsetRange restriction) {
    return restriction.getTo() - restriction.getFrom();
  }

  @GetRestrictionCoder
  public Coder<OffsetRange> getRestrictionCoder() {
    return new CaptureRange.Coder();
  }

  @ProcessElement
  public void processElement(ProcessContext c, RestrictionTracker<OffsetRange, Long> tracker) {
    FileIO.ReadableFile file = c.element();
    MatchResult.Metadata metadata = file.getMetadata();
    String name = metadata.resourceId().toString();
    long size = metadata.sizeBytes();
    Compression effective = effectiveCompression(file);
    boolean splittable = isSplittable(file);
    Emitter sink = new Emitter(c);
    CaptureFileReader reader;
    try {
      ReadableByteChannel raw = FileSystems.open(metadata.resourceId());
      OffsetRange range = tracker.currentRestriction();
      if (checksMagic(file) && range.getFrom() == 0) {
        // Only a first range can be a whole gzip file: splitting looked at the magic too.
        if (!(raw instanceof SeekableByteChannel seekable)) {
          raw = GzipMagic.decompressedIfGzip(raw);
        } else if (GzipMagic.startsWithGzip(seekable)) {
          effective = Compression.GZIP;
          splittable = false;
        }
      }
      ReadableByteChannel channel =
          effective == Compression.UNCOMPRESSED ? raw : effective.readDecompressed(raw);
      long span = splittable ? range.getTo() - range.getFrom() : Long.MAX_VALUE;
      reader = CaptureFileReader.open(name, channel, maxIncludedLength, !splittable, span);
    } catch (IOException | RuntimeException e) {
      OffsetRange range = tracker.currentRestriction();
      if (tracker.tryClaim(range.getFrom())) {
        long lost = splittable ? range.getTo() - range.getFrom() : size;
        sink.error(
            SnoopReadError.of(
                name,
                range.getFrom(),
                SnoopReadError.Kind.UNREADABLE,
                Math.max(0, Math.min(lost, size)),
                CaptureFileReader.oneLine(name + ": cannot open: " + e)));
        sink.end();
        tracker.tryClaim(range.getTo());
      }
      return;
    }
    try (CaptureFileReader r = reader) {
      if (splittable) {
        r.readRange(tracker, size, sink);
      } else {
        r.readWhole(tracker, size, sink);
      }
    } catch (IOException closeFailure) {
      // Everything was read; a failing close loses nothing.
    }
  }

  /** Cuts {@code range} into consecutive pieces of {@code size} bytes (the last may be shorter). */
  static List<OffsetRange> split(OffsetRange range, long size) {
    List<OffsetRange> pieces = new ArrayList<>();
    for (long from = range.getFrom(); from < range.getTo(); from += size) {
      pieces.add(new OffsetRange(from, Math.min(range.getTo(), from + size)));
    }
    return pieces;
  }

  private Compression effectiveCompression(FileIO.ReadableFile file) {
    Compression c = compression == Compression.AUTO ? file.getCompression() : compression;
    if (c == Compression.AUTO) {
      c = Compression.detect(file.getMetadata().resourceId().getFilename());
    }
    return c;
  }

  /**
   * Whether a file's magic decides if it is gzip: when neither the configuration nor its name says
   * it is compressed. A compression set explicitly is obeyed.
   */
  private boolean checksMagic(FileIO.ReadableFile file) {
    return compression == Compression.AUTO
        && effectiveCompression(file) == Compression.UNCOMPRESSED;
  }

  private boolean isSplittable(FileIO.ReadableFile file) {
    return effectiveCompression(file) == Compression.UNCOMPRESSED
        && file.getMetadata().isReadSeekEfficient();
  }

  /** Feeds the range's records to the parser and its errors to the error output. */
  private final class Emitter implements CaptureFileReader.Sink, SnoopRecordParser.RangeContext {
    private final ProcessContext context;
    private final SnoopRecordParser.RangeParser range;
    // Counted here and added to the metrics about once a MiB: a metric update per record would
    // cost more than decoding it, and a progress line still moves smoothly.
    private long records;
    private long recordBytes;

    Emitter(ProcessContext context) {
      this.context = context;
      this.range = parser.startRange(this, context::output);
    }

    @Override
    public <T> T get(PCollectionView<T> view) {
      return context.sideInput(view);
    }

    @Override
    public <T> void output(TupleTag<T> tag, T value) {
      context.output(tag, value);
    }

    @Override
    public void record(SnoopRecordView record) {
      range.record(record);
      records++;
      recordBytes += record.recordLength();
      if (recordBytes >= METRICS_INTERVAL_BYTES) {
        reportCounts();
      }
    }

    @Override
    public void end() {
      range.finish();
      reportCounts();
    }

    private void reportCounts() {
      RECORDS.inc(records);
      RECORD_BYTES.inc(recordBytes);
      records = 0;
      recordBytes = 0;
    }

    @Override
    public void error(SnoopReadError error) {
      context.output(errorsTag, error);
      switch (error.kind()) {
        case CORRUPT_REGION -> {
          CORRUPT_REGIONS.inc();
          BYTES_SKIPPED.inc(error.bytes());
        }
        case TRUNCATED_RECORD -> {
          TRUNCATED_RECORDS.inc();
          BYTES_SKIPPED.inc(error.bytes());
        }
        case UNSUPPORTED_LINK_TYPE -> UNSUPPORTED_LINK_TYPES.inc();
        default -> FILE_LEVEL_ERRORS.inc();
      }
    }

    @Override
    public void resynced(long offset, long boundary) {
      RESYNCS.inc();
    }
  }
}
