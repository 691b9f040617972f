package dev.connbal.snoop;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
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
import org.apache.beam.sdk.values.TupleTag;

/**
 * The splittable DoFn behind {@link SnoopIO}: one element per file, byte-offset restrictions,
 * records to one output and {@link SnoopReadError}s to another. Reading itself is {@link
 * SnoopFileReader}'s job.
 */
@DoFn.BoundedPerElement
final class ReadSnoopFn extends DoFn<FileIO.ReadableFile, SnoopRecord> {
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
  private static final Counter FILE_LEVEL_ERRORS =
      Metrics.counter(SnoopIO.METRICS_NAMESPACE, "fileLevelErrors");

  private final TupleTag<SnoopRecord> recordsTag;
  private final TupleTag<SnoopReadError> errorsTag;
  private final long desiredSplitSize;
  private final Compression compression;
  private final int maxIncludedLength;

  /**
   * @param compression {@link Compression#AUTO} to use each file's own (as {@link
   *     FileIO#readMatches()} set it), anything else to override it
   */
  ReadSnoopFn(
      TupleTag<SnoopRecord> recordsTag,
      TupleTag<SnoopReadError> errorsTag,
      long desiredSplitSize,
      Compression compression,
      int maxIncludedLength) {
    this.recordsTag = recordsTag;
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
    for (OffsetRange piece : split(restriction, desiredSplitSize)) {
      out.output(piece);
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
    return OffsetRange.Coder.of();
  }

  @ProcessElement
  public void processElement(
      @Element FileIO.ReadableFile file,
      RestrictionTracker<OffsetRange, Long> tracker,
      MultiOutputReceiver out) {
    MatchResult.Metadata metadata = file.getMetadata();
    String name = metadata.resourceId().toString();
    long size = metadata.sizeBytes();
    Compression effective = effectiveCompression(file);
    boolean splittable = isSplittable(file);
    SnoopFileReader.Sink sink = new Emitter(out);
    SnoopFileReader reader;
    try {
      ReadableByteChannel raw = FileSystems.open(metadata.resourceId());
      ReadableByteChannel channel =
          effective == Compression.UNCOMPRESSED ? raw : effective.readDecompressed(raw);
      OffsetRange range = tracker.currentRestriction();
      long span = splittable ? range.getTo() - range.getFrom() : Long.MAX_VALUE;
      reader = SnoopFileReader.open(name, channel, maxIncludedLength, !splittable, span);
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
                SnoopFileReader.oneLine(name + ": cannot open: " + e)));
        tracker.tryClaim(range.getTo());
      }
      return;
    }
    try (SnoopFileReader r = reader) {
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

  private boolean isSplittable(FileIO.ReadableFile file) {
    return effectiveCompression(file) == Compression.UNCOMPRESSED
        && file.getMetadata().isReadSeekEfficient();
  }

  private final class Emitter implements SnoopFileReader.Sink {
    private final MultiOutputReceiver out;

    Emitter(MultiOutputReceiver out) {
      this.out = out;
    }

    @Override
    public void record(SnoopRecord record, int recordLength) {
      out.get(recordsTag).output(record);
      RECORDS.inc();
      RECORD_BYTES.inc(recordLength);
    }

    @Override
    public void error(SnoopReadError error) {
      out.get(errorsTag).output(error);
      switch (error.kind()) {
        case CORRUPT_REGION:
          CORRUPT_REGIONS.inc();
          BYTES_SKIPPED.inc(error.bytes());
          break;
        case TRUNCATED_RECORD:
          TRUNCATED_RECORDS.inc();
          BYTES_SKIPPED.inc(error.bytes());
          break;
        default:
          FILE_LEVEL_ERRORS.inc();
      }
    }

    @Override
    public void resynced(long offset, long boundary) {
      RESYNCS.inc();
    }
  }
}
