package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.connbal.snoop.TestCaptures.Format;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * Fuzzing of the reader, in every format: valid captures damaged by bit flips, truncations, records
 * spliced in from another capture, duplicated regions and inserted or overwritten garbage, read
 * sequentially and in byte ranges of several sizes through {@link ReaderHarness}. Whatever the
 * damage:
 *
 * <ul>
 *   <li>no exception escapes; damage comes out as {@link SnoopReadError}s naming the file;
 *   <li>each input is read in bounded time (a preemptive timeout, a guard against hangs and
 *       quadratic blow-ups, not a speed measurement);
 *   <li>with a valid file header, good record bytes, other pcapng blocks and the bytes the errors
 *       report skipped or truncated add up to the file size minus the file header; without one, the
 *       read is one file-level error;
 *   <li>every split size yields exactly the records and errors of the sequential read.
 * </ul>
 *
 * Small frame limits make the maximum record length small, so that the captures span many of them
 * and damage lands near range boundaries.
 */
class MutatedCapturePropertiesTest {
  private static final int SMALL_LIMIT = 700;
  private static final Duration PER_INPUT = Duration.ofSeconds(20);

  private static final Map<Format, byte[]> CAPTURE = captures(11, 160, false);
  private static final Map<Format, byte[]> ADVERSARIAL = captures(12, 160, true);

  /** Records of another capture, with other times, for splices. */
  private static final Map<Format, byte[]> DONOR = captures(13, 60, true);

  private static Map<Format, byte[]> captures(long seed, int count, boolean adversarial) {
    Map<Format, byte[]> out = new EnumMap<>(Format.class);
    for (Format f : Format.values()) {
      out.put(
          f,
          adversarial
              ? TestCaptures.adversarial(f, seed, count, SMALL_LIMIT)
              : TestCaptures.realistic(f, seed, count, SMALL_LIMIT));
    }
    return out;
  }

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
    byte[] apply(byte[] b, byte[] donor) {
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
          int from = 16 + rnd.nextInt(donor.length - 16);
          int len = Math.min(length, donor.length - from);
          return insert(b, pos, Arrays.copyOfRange(donor, from, from + len));
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

  @Property(tries = 400)
  void damagedCapturesReadConsistently(
      @ForAll Format format,
      @ForAll boolean adversarial,
      @ForAll @Size(min = 1, max = 6) List<@From("mutations") Mutation> mutations,
      @ForAll @IntRange(min = 64, max = 20_000) int splitSize)
      throws IOException {
    byte[] bytes = (adversarial ? ADVERSARIAL : CAPTURE).get(format);
    for (Mutation m : mutations) {
      bytes = m.apply(bytes, DONOR.get(format));
    }
    byte[] damaged = bytes;
    Path file = Files.createTempFile("mutated", ".snoop");
    try {
      Files.write(file, damaged);
      boolean hasErrors =
          assertTimeoutPreemptively(PER_INPUT, () -> checkRead(format, file, damaged, splitSize));
      Statistics.collect(hasErrors ? "damaged" : "clean");
    } finally {
      Files.delete(file);
    }
    // The mutations do damage: most inputs give read errors, not an untouched capture.
    Statistics.coverage(c -> c.check("damaged").percentage(p -> p > 60));
  }

  /** Checks one input; returns whether it gave read errors. */
  private static boolean checkRead(Format format, Path file, byte[] bytes, int splitSize) {
    ReaderHarness.Result sequential = ReaderHarness.readSequential(file, SMALL_LIMIT);
    for (SnoopReadError e : sequential.errors) {
      assertThat(e.message(), containsString(file.toString()));
      assertThat(e.bytes() >= 0, is(true));
    }
    if (hasValidFileHeader(format, bytes)) {
      assertThat(
          "good record bytes + other blocks + reported bytes",
          sequential.bytesAccountedFor(),
          equalTo(bytes.length - SplitEquivalenceTest.headerLength(format)));
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

  /** Whether {@code b} starts with a header of {@code format} that the reader takes. */
  private static boolean hasValidFileHeader(Format format, byte[] b) {
    return switch (format) {
      case SNOOP -> hasValidSnoopHeader(b);
      case PCAP, PCAP_NANOSECONDS_BIG_ENDIAN -> hasValidPcapHeader(b);
      case PCAPNG -> hasValidSectionHeader(b);
    };
  }

  private static boolean hasValidPcapHeader(byte[] b) {
    if (b.length < 24) {
      return false;
    }
    ByteBuffer h = ByteBuffer.wrap(b, 0, 24);
    int magic = h.getInt();
    boolean big =
        magic == PcapFileReader.MAGIC_MICROSECONDS || magic == PcapFileReader.MAGIC_NANOSECONDS;
    int swapped = Integer.reverseBytes(magic);
    boolean little =
        swapped == PcapFileReader.MAGIC_MICROSECONDS || swapped == PcapFileReader.MAGIC_NANOSECONDS;
    h.order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    return (big || little) && h.getShort(4) == 2;
  }

  private static boolean hasValidSectionHeader(byte[] b) {
    if (b.length < 14) {
      return false;
    }
    ByteBuffer h = ByteBuffer.wrap(b, 0, 14);
    if (h.getInt(0) != PcapngBlockRules.SECTION_HEADER) {
      return false;
    }
    if (h.getInt(8) != PcapngBlockRules.BYTE_ORDER_MAGIC) {
      h.order(ByteOrder.LITTLE_ENDIAN);
      if (h.getInt(8) != PcapngBlockRules.BYTE_ORDER_MAGIC) {
        return false;
      }
    }
    return h.getShort(12) == 1;
  }

  private static boolean hasValidSnoopHeader(byte[] b) {
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
