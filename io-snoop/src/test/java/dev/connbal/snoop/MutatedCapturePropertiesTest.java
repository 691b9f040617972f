package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of the reader: valid captures damaged by bit flips, truncations, records spliced in from
 * another capture, duplicated regions and inserted or overwritten garbage, read sequentially and in
 * byte ranges of several sizes through {@link ReaderHarness}. Whatever the damage:
 *
 * <ul>
 *   <li>no exception escapes; damage comes out as {@link SnoopReadError}s naming the file;
 *   <li>each input is read in bounded time (a preemptive timeout, a guard against hangs and
 *       quadratic blow-ups, not a speed measurement);
 *   <li>with a valid file header, good record bytes plus the bytes the errors report skipped or
 *       truncated add up to the file size minus 16; without one, the read is one file-level error;
 *   <li>every split size yields exactly the records and errors of the sequential read.
 * </ul>
 *
 * Small frame limits make the maximum record length small, so that the captures span many of them
 * and damage lands near range boundaries.
 */
class MutatedCapturePropertiesTest {
  private static final int SMALL_LIMIT = 700;
  private static final Duration PER_INPUT = Duration.ofSeconds(20);

  private static final byte[] CAPTURE = TestCaptures.realistic(11, 160, SMALL_LIMIT);
  private static final byte[] ADVERSARIAL = TestCaptures.adversarial(12, 160, SMALL_LIMIT);

  /** Records of another capture, with other times, for splices. */
  private static final byte[] DONOR = TestCaptures.adversarial(13, 60, SMALL_LIMIT);

  enum Kind {
    BIT_FLIP,
    TRUNCATE,
    SPLICE_RECORDS,
    DUPLICATE_REGION,
    INSERT_GARBAGE,
    OVERWRITE_GARBAGE
  }

  /**
   * One edit at {@code at} (taken modulo the size of the bytes at hand) of {@code length} bytes
   * (cut at the end of the source; a bit flip flips 1 to 4 bits within 64 bytes of {@code at}).
   */
  record Mutation(Kind kind, int at, int length, long seed) {
    byte[] apply(byte[] b) {
      if (b.length == 0) {
        return b;
      }
      int pos = Math.floorMod(at, b.length);
      Random rnd = new Random(seed);
      switch (kind) {
        case BIT_FLIP -> {
          byte[] c = b.clone();
          for (int i = 0; i <= length % 4; i++) {
            int p = Math.floorMod(pos + rnd.nextInt(64), c.length);
            c[p] ^= (byte) (1 << rnd.nextInt(8));
          }
          return c;
        }
        case TRUNCATE -> {
          return Arrays.copyOf(b, pos);
        }
        case SPLICE_RECORDS -> {
          int from = 16 + rnd.nextInt(DONOR.length - 16);
          int len = Math.min(length, DONOR.length - from);
          return insert(b, pos, Arrays.copyOfRange(DONOR, from, from + len));
        }
        case DUPLICATE_REGION -> {
          int len = Math.min(length, b.length - pos);
          return insert(b, pos + len, Arrays.copyOfRange(b, pos, pos + len));
        }
        case INSERT_GARBAGE -> {
          byte[] garbage = new byte[length];
          rnd.nextBytes(garbage);
          return insert(b, pos, garbage);
        }
        case OVERWRITE_GARBAGE -> {
          byte[] c = b.clone();
          for (int i = pos; i < Math.min(c.length, pos + length); i++) {
            c[i] = (byte) rnd.nextInt(256);
          }
          return c;
        }
        default -> throw new AssertionError(kind);
      }
    }

    private static byte[] insert(byte[] b, int at, byte[] piece) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + piece.length);
      out.write(b, 0, at);
      out.write(piece, 0, piece.length);
      out.write(b, at, b.length - at);
      return out.toByteArray();
    }
  }

  @Provide
  Arbitrary<Mutation> mutations() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.integers().between(1, 3 * (SMALL_LIMIT + 32)),
            Arbitraries.longs())
        .as(Mutation::new);
  }

  @Property(tries = 250)
  void damagedCapturesReadConsistently(
      @ForAll boolean adversarial,
      @ForAll @Size(min = 1, max = 6) List<@From("mutations") Mutation> mutations,
      @ForAll @IntRange(min = 64, max = 20_000) int splitSize)
      throws IOException {
    byte[] bytes = adversarial ? ADVERSARIAL : CAPTURE;
    for (Mutation m : mutations) {
      bytes = m.apply(bytes);
    }
    byte[] damaged = bytes;
    Path file = Files.createTempFile("mutated", ".snoop");
    try {
      Files.write(file, damaged);
      boolean hasErrors =
          assertTimeoutPreemptively(PER_INPUT, () -> checkRead(file, damaged, splitSize));
      Statistics.collect(hasErrors ? "damaged" : "clean");
    } finally {
      Files.delete(file);
    }
    // The mutations do damage: most inputs give read errors, not an untouched capture.
    Statistics.coverage(c -> c.check("damaged").percentage(p -> p > 60));
  }

  /** Checks one input; returns whether it gave read errors. */
  private static boolean checkRead(Path file, byte[] bytes, int splitSize) {
    ReaderHarness.Result sequential = ReaderHarness.readSequential(file, SMALL_LIMIT);
    for (SnoopReadError e : sequential.errors) {
      assertThat(e.message(), containsString(file.toString()));
      assertThat(e.bytes() >= 0, is(true));
    }
    if (hasValidFileHeader(bytes)) {
      assertThat(
          "good record bytes + reported bytes",
          sequential.recordBytes + sequential.bytesReported(),
          equalTo((long) bytes.length - 16));
      for (SnoopReadError e : sequential.errors) {
        assertThat(e.toString(), e.isFileLevel(), is(false));
      }
    } else {
      assertThat(sequential.records, empty());
      assertThat(sequential.errors.size(), is(1));
      assertThat(sequential.errors.get(0).isFileLevel(), is(true));
    }
    for (long split : List.of(64L, (long) splitSize, 4096L, Math.max(64L, bytes.length))) {
      ReaderHarness.assertSameRead(
          sequential,
          ReaderHarness.readSplit(file, SMALL_LIMIT, ReaderHarness.ranges(bytes.length, split)),
          "split " + split);
    }
    return !sequential.errors.isEmpty();
  }

  private static boolean hasValidFileHeader(byte[] b) {
    if (b.length < 16) {
      return false;
    }
    ByteBuffer header = ByteBuffer.wrap(b, 0, 16);
    byte[] magic = new byte[8];
    header.get(magic);
    int version = header.getInt();
    int datalink = header.getInt();
    // Datalink 0 is read as Ethernet, like 4 (SnoopReadErrorsTest.datalinkZeroIsReadAsEthernet).
    return Arrays.equals(magic, SnoopWriter.MAGIC)
        && version == SnoopWriter.VERSION
        && (datalink == SnoopWriter.DATALINK_ETHERNET || datalink == 0);
  }
}
