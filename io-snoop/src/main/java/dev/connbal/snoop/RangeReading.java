package dev.connbal.snoop;

import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
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
 * The read of one byte range of a capture, shared by the reading steps of {@link SnoopIO} ({@link
 * ParseSnoopFn}, a range per element, and {@link ReadFileBatchFn}, small files a batch per
 * element): opens the file, feeds the range's records to the {@link SnoopRecordParser} and its
 * errors to the error output, and keeps the read metrics. Reading itself is {@link
 * CaptureFileReader}'s job.
 */
final class RangeReading<OutputT> implements Serializable {
  private static final long serialVersionUID = 1L;

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

  /** Where a range's parse sends what it makes: the reading step's outputs and side inputs. */
  interface Outputs<OutputT> {
    void output(OutputT value);

    <T> void output(TupleTag<T> tag, T value);

    <T> T sideInput(PCollectionView<T> view);
  }

  /** The outputs and side inputs of the reading step whose element {@code c} is. */
  static <OutputT> Outputs<OutputT> outputsOf(DoFn<?, OutputT>.ProcessContext c) {
    return new Outputs<>() {
      @Override
      public void output(OutputT value) {
        c.output(value);
      }

      @Override
      public <T> void output(TupleTag<T> tag, T value) {
        c.output(tag, value);
      }

      @Override
      public <T> T sideInput(PCollectionView<T> view) {
        return c.sideInput(view);
      }
    };
  }

  private final SnoopRecordParser<OutputT> parser;
  private final TupleTag<SnoopReadError> errorsTag;
  private final Compression compression;
  private final int maxIncludedLength;

  /**
   * @param compression {@link Compression#AUTO} to use each file's own (as {@link
   *     FileIO#readMatches()} set it), anything else to override it
   */
  RangeReading(
      SnoopRecordParser<OutputT> parser,
      TupleTag<SnoopReadError> errorsTag,
      Compression compression,
      int maxIncludedLength) {
    this.parser = parser;
    this.errorsTag = errorsTag;
    this.compression = compression;
    this.maxIncludedLength = maxIncludedLength;
  }

  int maxIncludedLength() {
    return maxIncludedLength;
  }

  /**
   * Reads the range of {@code file} that {@code tracker} holds (the whole file if unsplittable).
   */
  void read(
      FileIO.ReadableFile file,
      RestrictionTracker<OffsetRange, Long> tracker,
      Outputs<OutputT> to) {
    MatchResult.Metadata metadata = file.getMetadata();
    String name = metadata.resourceId().toString();
    long size = metadata.sizeBytes();
    Compression effective = effectiveCompression(file);
    boolean splittable = isSplittable(file);
    Emitter sink = new Emitter(to);
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

  Compression effectiveCompression(FileIO.ReadableFile file) {
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
  boolean checksMagic(FileIO.ReadableFile file) {
    return compression == Compression.AUTO
        && effectiveCompression(file) == Compression.UNCOMPRESSED;
  }

  boolean isSplittable(FileIO.ReadableFile file) {
    return effectiveCompression(file) == Compression.UNCOMPRESSED
        && file.getMetadata().isReadSeekEfficient();
  }

  /** Feeds the range's records to the parser and its errors to the error output. */
  private final class Emitter implements CaptureFileReader.Sink, SnoopRecordParser.RangeContext {
    private final Outputs<OutputT> to;
    private final SnoopRecordParser.RangeParser range;
    // Counted here and added to the metrics about once a MiB: a metric update per record would
    // cost more than decoding it, and a progress line still moves smoothly.
    private long records;
    private long recordBytes;

    Emitter(Outputs<OutputT> to) {
      this.to = to;
      this.range = parser.startRange(this, to::output);
    }

    @Override
    public <T> T get(PCollectionView<T> view) {
      return to.sideInput(view);
    }

    @Override
    public <T> void output(TupleTag<T> tag, T value) {
      to.output(tag, value);
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
      to.output(errorsTag, error);
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
