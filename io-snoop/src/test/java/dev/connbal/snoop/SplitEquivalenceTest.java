package dev.connbal.snoop;

import static dev.connbal.snoop.ReaderHarness.assertSameRead;
import static dev.connbal.snoop.ReaderHarness.ranges;
import static dev.connbal.snoop.ReaderHarness.readSequential;
import static dev.connbal.snoop.ReaderHarness.readSplit;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a file in byte ranges must give exactly the records and errors of a sequential read,
 * whatever the split points. Small frame limits ({@code maxIncluded}) make the maximum record
 * length small, so that a file of a few hundred KiB spans hundreds of them and every kind of
 * handoff (inside frames, inside embedded captures, inside corrupt regions) is exercised.
 */
class SplitEquivalenceTest {
  private static final int SMALL_LIMIT = 700;

  @TempDir Path tmp;

  @Test
  void realisticCaptureSplitsLikeSequentialRead() throws IOException {
    Path file = write("realistic.snoop", TestCaptures.realistic(1, 1500, SMALL_LIMIT));
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.records.size(), equalTo(1500));
    assertThat(sequential.errors, empty());
    sweep(file, SMALL_LIMIT, sequential);
  }

  @Test
  void adversarialPayloadsDoNotFoolResynchronisation() throws IOException {
    Path file = write("adversarial.snoop", TestCaptures.adversarial(2, 1500, SMALL_LIMIT));
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.records.size(), equalTo(1500));
    assertThat(sequential.errors, empty());
    sweep(file, SMALL_LIMIT, sequential);
  }

  @Test
  void damagedCaptureSplitsLikeSequentialRead() throws IOException {
    byte[] bytes = TestCaptures.realistic(3, 1500, SMALL_LIMIT);
    Random rnd = new Random(3);
    // Random bytes over three stretches longer than any record, and garbage appended.
    for (int k = 0; k < 3; k++) {
      int at = 16 + rnd.nextInt(bytes.length - 3000);
      for (int i = 0; i < 800 + rnd.nextInt(1500); i++) {
        bytes[at + i] = (byte) rnd.nextInt(256);
      }
    }
    byte[] withGarbage = new byte[bytes.length + 333];
    System.arraycopy(bytes, 0, withGarbage, 0, bytes.length);
    for (int i = bytes.length; i < withGarbage.length; i++) {
      withGarbage[i] = (byte) rnd.nextInt(256);
    }
    Path file = write("damaged.snoop", withGarbage);
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.errors.size(), greaterThan(3));
    assertThat(sequential.records.size(), greaterThan(1400));
    assertThat(sequential.recordBytes + sequential.bytesReported(), equalTo(Files.size(file) - 16));
    sweep(file, SMALL_LIMIT, sequential);
  }

  @Test
  void adversarialAndDamagedCaptureSplitsLikeSequentialRead() throws IOException {
    byte[] bytes = TestCaptures.adversarial(4, 1200, SMALL_LIMIT);
    Random rnd = new Random(4);
    for (int k = 0; k < 4; k++) {
      int at = 16 + rnd.nextInt(bytes.length - 100);
      for (int i = 0; i < 24; i++) {
        bytes[at + i] = (byte) rnd.nextInt(256);
      }
    }
    Path file = write("adversarial-damaged.snoop", bytes);
    ReaderHarness.Result sequential = readSequential(file, SMALL_LIMIT);
    assertThat(sequential.recordBytes + sequential.bytesReported(), equalTo(Files.size(file) - 16));
    sweep(file, SMALL_LIMIT, sequential);
  }

  @Test
  void defaultLimitsOnALargerCapture() throws IOException {
    int limit = RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH;
    Path file = write("large.snoop", TestCaptures.adversarial(5, 6000, 1514));
    long size = Files.size(file);
    ReaderHarness.Result sequential = readSequential(file, limit);
    assertThat(sequential.records.size(), equalTo(6000));
    for (long split : new long[] {4096, 65_536, 100_000, 333_333, 1 << 20, size}) {
      ReaderHarness.Result split1 = readSplit(file, limit, ranges(size, split));
      assertSameRead(sequential, split1, "split " + split);
    }
  }

  @Test
  void inOrdinaryCapturesARangeHandsOverAtTheFirstRecordStartingInTheNext() throws IOException {
    Path file = write("near.snoop", TestCaptures.realistic(6, 1500, SMALL_LIMIT));
    long size = Files.size(file);
    List<Long> recordStarts = new ArrayList<>();
    for (SnoopRecord r : readSequential(file, SMALL_LIMIT).records) {
      recordStarts.add(r.recordOffset());
    }
    TreeSet<Long> starts = new TreeSet<>(recordStarts);
    for (OffsetRange range : ranges(size, 997)) {
      if (range.getFrom() <= 16) {
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
      assertSameRead(sequential, readSplit(file, limit, ranges(size, split)), "split " + split);
    }
    Random rnd = new Random(size);
    for (int trial = 0; trial < 20; trial++) {
      assertSameRead(
          sequential, readSplit(file, limit, randomRanges(rnd, size)), "random trial " + trial);
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

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
