package dev.connbal.snoop;

import static dev.connbal.snoop.ReaderHarness.assertSameRead;
import static dev.connbal.snoop.ReaderHarness.givenStarts;
import static dev.connbal.snoop.ReaderHarness.ranges;
import static dev.connbal.snoop.ReaderHarness.readSequential;
import static dev.connbal.snoop.ReaderHarness.readSplit;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.connbal.snoop.TestCaptures.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reading a file in byte ranges must give exactly the records and errors of a sequential read,
 * whatever the split points, in every format. Small frame limits ({@code maxIncluded}) make the
 * maximum record length small, so that a file of a few hundred KiB spans hundreds of them and every
 * kind of handoff (inside frames, inside embedded captures, inside corrupt regions) is exercised.
 */
class SplitEquivalenceTest {
  private static final int SMALL_LIMIT = 700;

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Format.class)
  void realisticCaptureSplitsLikeSequentialRead(Format format) throws IOException {
    Path file = write("realistic", TestCaptures.realistic(format, 1, 1500, SMALL_LIMIT));
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.records.size(), equalTo(1500));
    assertThat(sequential.errors, empty());
    sweep(file, SMALL_LIMIT, sequential);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void adversarialPayloadsDoNotFoolResynchronisation(Format format) throws IOException {
    Path file = write("adversarial", TestCaptures.adversarial(format, 2, 1500, SMALL_LIMIT));
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.records.size(), equalTo(1500));
    assertThat(sequential.errors, empty());
    sweep(file, SMALL_LIMIT, sequential);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void damagedCaptureSplitsLikeSequentialRead(Format format) throws IOException {
    byte[] bytes = TestCaptures.realistic(format, 3, 1500, SMALL_LIMIT);
    Random rnd = new Random(3);
    // Random bytes over three stretches longer than any record, and garbage appended.
    for (int k = 0; k < 3; k++) {
      int at = 64 + rnd.nextInt(bytes.length - 3000);
      for (int i = 0; i < 800 + rnd.nextInt(1500); i++) {
        bytes[at + i] = (byte) rnd.nextInt(256);
      }
    }
    byte[] withGarbage = new byte[bytes.length + 333];
    System.arraycopy(bytes, 0, withGarbage, 0, bytes.length);
    for (int i = bytes.length; i < withGarbage.length; i++) {
      withGarbage[i] = (byte) rnd.nextInt(256);
    }
    Path file = write("damaged", withGarbage);
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.errors.size(), greaterThan(3));
    assertThat(sequential.records.size(), greaterThan(1400));
    assertThat(sequential.bytesAccountedFor(), equalTo(Files.size(file) - headerLength(format)));
    sweep(file, SMALL_LIMIT, sequential);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void adversarialAndDamagedCaptureSplitsLikeSequentialRead(Format format) throws IOException {
    byte[] bytes = TestCaptures.adversarial(format, 4, 1200, SMALL_LIMIT);
    Random rnd = new Random(4);
    for (int k = 0; k < 4; k++) {
      int at = 64 + rnd.nextInt(bytes.length - 100);
      for (int i = 0; i < 24; i++) {
        bytes[at + i] = (byte) rnd.nextInt(256);
      }
    }
    Path file = write("adversarial-damaged", bytes);
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.bytesAccountedFor(), equalTo(Files.size(file) - headerLength(format)));
    sweep(file, SMALL_LIMIT, sequential);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void defaultLimitsOnALargerCapture(Format format) throws IOException {
    int limit = CaptureFileReader.DEFAULT_MAX_INCLUDED_LENGTH;
    Path file = write("large", TestCaptures.adversarial(format, 5, 6000, 1514));
    long size = Files.size(file);
    ReaderHarness.Result sequential = readSequential(file, limit);
    assertThat(sequential.records.size(), equalTo(6000));
    for (long split : new long[] {4096, 65_536, 100_000, 333_333, 1 << 20, size}) {
      ReaderHarness.Result split1 = readSplit(file, limit, ranges(size, split));
      assertSameRead(sequential, split1, "split " + split);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Format.class,
      names = {"SNOOP", "PCAP", "PCAP_NANOSECONDS_BIG_ENDIAN"})
  void inOrdinaryCapturesARangeHandsOverAtTheFirstRecordStartingInTheNext(Format format)
      throws IOException {
    Path file = write("near", TestCaptures.realistic(format, 6, 1500, SMALL_LIMIT));
    long size = Files.size(file);
    List<Long> recordStarts = new ArrayList<>();
    for (SnoopRecord r : readSequential(file, SMALL_LIMIT).records) {
      recordStarts.add(r.recordOffset());
    }
    TreeSet<Long> starts = new TreeSet<>(recordStarts);
    for (OffsetRange range : ranges(size, 997)) {
      if (range.getFrom() <= headerLength(format)) {
        continue;
      }
      ReaderHarness.Result r = readSplit(file, SMALL_LIMIT, List.of(range));
      long boundary = r.resyncBoundaries.get(0);
      Long expected = starts.ceiling(range.getFrom());
      assertThat(
          "handoff at " + range.getFrom(), boundary, equalTo(expected == null ? size : expected));
    }
  }

  private void sweep(Path file, int limit, ReaderHarness.Result sequential) throws IOException {
    long size = Files.size(file);
    TreeSet<Long> sizes = new TreeSet<>(List.of(64L, 65L, 100L, 128L, 200L, 256L, 333L, 500L));
    for (long s = 512; s < size; s = s * 3 / 2 + 7) {
      sizes.add(s);
    }
    sizes.add(size);
    for (long split : sizes) {
      assertSplitReadsAsSequential(file, limit, ranges(size, split), sequential, "split " + split);
    }
    Random rnd = new Random(size);
    for (int trial = 0; trial < 20; trial++) {
      assertSplitReadsAsSequential(
          file, limit, randomRanges(rnd, size), sequential, "random trial " + trial);
    }
  }

  /**
   * Ranges that walk to their starts and, for a format that needs the walk (pcapng), the same
   * ranges given their starts by the splitting step, each read as the sequential read.
   */
  private static void assertSplitReadsAsSequential(
      Path file,
      int limit,
      List<OffsetRange> ranges,
      ReaderHarness.Result sequential,
      String what) {
    assertSameRead(sequential, readSplit(file, limit, ranges), what);
    List<OffsetRange> given = givenStarts(file, limit, ranges);
    if (given != ranges) {
      assertSameRead(sequential, readSplit(file, limit, given), what + ", starts given");
    }
  }

  private static List<OffsetRange> randomRanges(Random rnd, long size) {
    TreeSet<Long> cuts = new TreeSet<>();
    if (rnd.nextBoolean()) {
      // Cuts inside the file header and at the first record.
      cuts.addAll(List.of(1L, 2L + rnd.nextInt(14), 16L, 17L));
    }
    int n = 1 + rnd.nextInt(200);
    for (int i = 0; i < n; i++) {
      cuts.add(1 + (long) (rnd.nextDouble() * (size - 1)));
    }
    List<OffsetRange> ranges = new ArrayList<>();
    long from = 0;
    for (long cut : cuts) {
      ranges.add(new OffsetRange(from, cut));
      from = cut;
    }
    ranges.add(new OffsetRange(from, size));
    return ranges;
  }

  /** Bytes before the first item: the file header, which no item covers. */
  static long headerLength(Format format) {
    return switch (format) {
      case SNOOP -> 16;
      case PCAP, PCAP_NANOSECONDS_BIG_ENDIAN -> 24;
      case PCAPNG -> 0;
    };
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
