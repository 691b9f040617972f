package dev.connbal.snoop;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * The splittable DoFn behind {@link SnoopIO}: one element per file, byte-offset restrictions, what
 * the {@link SnoopRecordParser} makes of each range's records to the main output and {@link
 * SnoopReadError}s to another. Reading a range is {@link RangeReading}'s job.
 */
@DoFn.BoundedPerElement
final class ParseSnoopFn<OutputT> extends DoFn<FileIO.ReadableFile, OutputT> {
  private final RangeReading<OutputT> reading;
  private final long desiredSplitSize;

  ParseSnoopFn(RangeReading<OutputT> reading, long desiredSplitSize) {
    this.reading = reading;
    this.desiredSplitSize = desiredSplitSize;
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
    if (!reading.isSplittable(file)) {
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
      if (reading.checksMagic(file)
          && channel instanceof SeekableByteChannel seekable
          && GzipMagic.startsWithGzip(seekable)) {
        return List.of(new OffsetRange(0, pieces.get(pieces.size() - 1).getTo()));
      }
      try (CaptureFileReader reader =
          CaptureFileReader.open(
              name, channel, reading.maxIncludedLength(), false, Long.MAX_VALUE)) {
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
    reading.read(c.element(), tracker, RangeReading.outputsOf(c));
  }

  /** Cuts {@code range} into consecutive pieces of {@code size} bytes (the last may be shorter). */
  static List<OffsetRange> split(OffsetRange range, long size) {
    List<OffsetRange> pieces = new ArrayList<>();
    for (long from = range.getFrom(); from < range.getTo(); from += size) {
      pieces.add(new OffsetRange(from, Math.min(range.getTo(), from + size)));
    }
    return pieces;
  }
}
