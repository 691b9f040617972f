package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.connbal.snoop.TestCaptures.Format;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.PAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcapng ranges given their starts by the splitting step ({@link CaptureRange}): the file is walked
 * once, not once per range, and the ranges travel through the restriction coder. That they read as
 * the sequential read is {@link SplitEquivalenceTest}'s sweep.
 */
class CaptureRangeTest {
  private static final int MAX_FRAME = 1514;

  /**
   * What a range reads besides its own bytes, wherever it lies: the first buffer of its file
   * header, and the read ahead that finishes the last block starting before its end.
   */
  private static final long READ_AROUND_A_RANGE = 128 << 10;

  @TempDir Path tmp;

  /**
   * A range that walks to its start reads every byte before it, so n ranges read the file about n/2
   * times; given its start, a range reads its own bytes (and what a read ahead and the proofs at
   * its end take, the same wherever it lies), after one walk of the file by the splitting step.
   */
  @Test
  void givenTheirStartsRangesReadTheirOwnBytesAfterOneWalk() throws IOException {
    Path file = tmp.resolve("multi-section.pcapng");
    Files.write(file, TestCaptures.realistic(Format.PCAPNG, 41, 4000, MAX_FRAME));
    long size = Files.size(file);
    List<OffsetRange> ranges = ReaderHarness.ranges(size, 64 << 10);
    assertThat(ranges.size(), greaterThan(40));

    CountingChannel channel = new CountingChannel(file);
    List<OffsetRange> given;
    try (CaptureFileReader walk =
        CaptureFileReader.open(file.toString(), channel, MAX_FRAME, false, Long.MAX_VALUE)) {
      given = walk.withGivenStarts(ranges, size);
    }
    assertThat(given.subList(1, given.size()), everyItem(instanceOf(CaptureRange.class)));
    assertThat("the one walk", channel.total, lessThanOrEqualTo(size));

    OffsetRange last = ranges.get(ranges.size() - 1);
    assertThat("the last range walking", bytesRead(file, last), greaterThan(last.getFrom()));
    for (OffsetRange range : given) {
      long beyond = bytesRead(file, range) - (range.getTo() - range.getFrom());
      assertThat(range.toString(), beyond, lessThan(READ_AROUND_A_RANGE));
    }
  }

  @Test
  void restrictionCoderKeepsAGivenStartAndItsState() throws Exception {
    CaptureRange.Coder coder = new CaptureRange.Coder();
    CoderProperties.coderDecodeEncodeEqual(coder, new OffsetRange(0, 65536));
    CoderProperties.coderDecodeEncodeEqual(
        coder, new CaptureRange(65536, 131072, 65600, new byte[] {0, 1, 2, 3}));
    CoderProperties.coderDeterministic(
        coder,
        new CaptureRange(65536, 131072, 65600, new byte[] {9}),
        new CaptureRange(65536, 131072, 65600, new byte[] {9}));
  }

  /** On the Direct runner the ranges of pcapng files go through the restriction coder. */
  @Test
  void directRunnerReadsASplitPcapngFileLikeTheSequentialRead() throws IOException {
    Path file = tmp.resolve("split.pcapng");
    Files.write(file, TestCaptures.realistic(Format.PCAPNG, 42, 1500, MAX_FRAME));
    ReaderHarness.Result sequential = ReaderHarness.readSequential(file, MAX_FRAME);
    PipelineOptions options = PipelineOptionsFactory.create();
    options.setRunner(DirectRunner.class);
    Pipeline p = Pipeline.create(options);
    SnoopReadResult result =
        p.apply(SnoopIO.read().from(file.toString()).withDesiredSplitSize(4096));
    PAssert.that(result.records()).containsInAnyOrder(sequential.records);
    PAssert.that(result.errors()).containsInAnyOrder(sequential.errors);
    p.run().waitUntilFinish();
  }

  /** The bytes a reader of {@code range} reads from the file, as {@link ParseSnoopFn} reads it. */
  private static long bytesRead(Path file, OffsetRange range) throws IOException {
    CountingChannel channel = new CountingChannel(file);
    try (CaptureFileReader reader =
        CaptureFileReader.open(
            file.toString(), channel, MAX_FRAME, false, range.getTo() - range.getFrom())) {
      reader.readRange(
          new RecordOffsetTracker(range), Files.size(file), new ReaderHarness.Result());
    }
    return channel.total;
  }

  /** A file's channel that counts the bytes read through it. */
  private static final class CountingChannel implements SeekableByteChannel {
    private final FileChannel file;
    long total;

    CountingChannel(Path path) throws IOException {
      this.file = FileChannel.open(path);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int n = file.read(dst);
      total += Math.max(0, n);
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() throws IOException {
      return file.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      file.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isOpen() {
      return file.isOpen();
    }

    @Override
    public void close() throws IOException {
      file.close();
    }
  }
}
