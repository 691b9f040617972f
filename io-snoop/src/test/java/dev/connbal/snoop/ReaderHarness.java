package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.beam.sdk.io.range.OffsetRange;

/**
 * Drives {@link CaptureFileReader} and {@link RecordOffsetTracker} the way {@link ParseSnoopFn}
 * does, without a runner: the fast path for exhaustive split tests.
 */
final class ReaderHarness {
  /** Everything a read produced, in order. */
  static class Result implements CaptureFileReader.Sink {
    final List<SnoopRecord> records = new ArrayList<>();
    final List<SnoopReadError> errors = new ArrayList<>();
    final List<Long> resyncBoundaries = new ArrayList<>();
    long recordBytes;

    /** Bytes of pcapng blocks that hold no packet. */
    long metadataBytes;

    @Override
    public void record(SnoopRecordView record) {
      records.add(record.toRecord());
      recordBytes += record.recordLength();
    }

    @Override
    public void error(SnoopReadError error) {
      errors.add(error);
    }

    @Override
    public void metadata(long offset, long bytes) {
      metadataBytes += bytes;
    }

    @Override
    public void resynced(long offset, long boundary) {
      resyncBoundaries.add(boundary);
    }

    long bytesReported() {
      return errors.stream().mapToLong(SnoopReadError::bytes).sum();
    }

    /** Good records, other pcapng blocks and reported bytes: the data after the file header. */
    long bytesAccountedFor() {
      return recordBytes + metadataBytes + bytesReported();
    }
  }

  private ReaderHarness() {}

  /** Reads front to back through a plain (non-seekable) channel: the reference. */
  static Result readSequential(Path file, int maxIncluded) {
    Result result = new Result();
    try (InputStream in = Files.newInputStream(file)) {
      readWhole(file.toString(), in, Files.size(file), maxIncluded, result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  /** Reads a gzip file front to back, as the DoFn reads compressed files. */
  static Result readGzip(Path file, int maxIncluded) {
    Result result = new Result();
    try (InputStream in = Files.newInputStream(file)) {
      readWhole(file.toString(), new GZIPInputStream(in), Files.size(file), maxIncluded, result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  private static void readWhole(
      String name, InputStream in, long size, int maxIncluded, Result result) {
    RecordOffsetTracker tracker = new RecordOffsetTracker(new OffsetRange(0, Math.max(1, size)));
    CaptureFileReader reader =
        CaptureFileReader.open(name, Channels.newChannel(in), maxIncluded, true, Long.MAX_VALUE);
    reader.readWhole(tracker, size, result);
    tracker.checkDone();
  }

  /** Reads each range with its own reader and tracker, concatenating results in range order. */
  static Result readSplit(Path file, int maxIncluded, List<OffsetRange> ranges) {
    Result result = new Result();
    try {
      long size = Files.size(file);
      for (OffsetRange range : ranges) {
        RecordOffsetTracker tracker = new RecordOffsetTracker(range);
        try (CaptureFileReader reader =
            CaptureFileReader.open(
                file.toString(),
                FileChannel.open(file),
                maxIncluded,
                false,
                range.getTo() - range.getFrom())) {
          reader.readRange(tracker, size, result);
        }
        tracker.checkDone();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }

  /**
   * The ranges as the splitting step hands them out ({@link CaptureFileReader#withGivenStarts}):
   * given their starts where the format needs them, else {@code ranges} itself.
   */
  static List<OffsetRange> givenStarts(Path file, int maxIncluded, List<OffsetRange> ranges) {
    try (CaptureFileReader walk =
        CaptureFileReader.open(
            file.toString(), FileChannel.open(file), maxIncluded, false, Long.MAX_VALUE)) {
      return walk.withGivenStarts(ranges, Files.size(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ranges of {@code splitSize} bytes covering the initial restriction of a file. */
  static List<OffsetRange> ranges(long fileSize, long splitSize) {
    return ParseSnoopFn.split(new OffsetRange(0, Math.max(1, fileSize)), splitSize);
  }

  static void assertSameRead(Result expected, Result actual, String what) {
    assertThat(what + ": records", actual.records, equalTo(expected.records));
    assertThat(what + ": errors", actual.errors, equalTo(expected.errors));
  }
}
