package dev.connbal.snoop;

import static dev.connbal.snoop.ReaderHarness.assertSameRead;
import static dev.connbal.snoop.ReaderHarness.ranges;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every header error and damaged-data case: message, counts and the records kept. */
class SnoopReadErrorsTest {
  private static final int LIMIT = RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH;

  @TempDir Path tmp;

  @Test
  void emptyFile() throws IOException {
    Path file = write("empty.snoop", new byte[0]);
    SnoopReadError e = onlyFileError(file);
    assertThat(e.kind(), is(SnoopReadError.Kind.EMPTY_FILE));
    assertThat(e.message(), equalTo(file + ": empty file, not a packet capture"));
    assertThat(e.bytes(), is(0L));
    assertThat(e.isFileLevel(), is(true));
  }

  @Test
  void nonSnoopFile() throws IOException {
    Path file =
        write("notes.snoop", "hello, this is not a capture\n".getBytes(StandardCharsets.UTF_8));
    SnoopReadError e = onlyFileError(file);
    assertThat(e.kind(), is(SnoopReadError.Kind.BAD_MAGIC));
    assertThat(
        e.message(),
        equalTo(
            file
                + ": not a packet capture: starts with \"hello, t\", expected the magic of snoop,"
                + " pcap or pcapng"));
    assertThat(e.bytes(), is(Files.size(file)));
  }

  @Test
  void truncatedFileHeader() throws IOException {
    Path file = write("short.snoop", Arrays.copyOf(SnoopWriter.MAGIC, 10));
    SnoopReadError e = onlyFileError(file);
    assertThat(e.kind(), is(SnoopReadError.Kind.TRUNCATED_FILE_HEADER));
    assertThat(
        e.message(),
        equalTo(file + ": truncated file header: 10 bytes, a snoop file header has 16"));
    assertThat(e.bytes(), is(10L));
  }

  @Test
  void unsupportedVersion() throws IOException {
    byte[] bytes = TestCaptures.realistic(1, 10, 1500);
    ByteBuffer.wrap(bytes).putInt(8, 3);
    Path file = write("v3.snoop", bytes);
    SnoopReadError e = onlyFileError(file);
    assertThat(e.kind(), is(SnoopReadError.Kind.UNSUPPORTED_VERSION));
    assertThat(
        e.message(), equalTo(file + ": unsupported snoop version 3, only version 2 is supported"));
    assertThat(e.offset(), is(8L));
  }

  @Test
  void unsupportedDatalink() throws IOException {
    byte[] bytes = TestCaptures.realistic(1, 10, 1500);
    ByteBuffer.wrap(bytes).putInt(12, 8);
    Path file = write("fddi.snoop", bytes);
    SnoopReadError e = onlyFileError(file);
    assertThat(e.kind(), is(SnoopReadError.Kind.UNSUPPORTED_DATALINK));
    assertThat(
        e.message(),
        equalTo(
            file
                + ": unsupported datalink type 8, only Ethernet (4, or 0 as some writers use) is"
                + " supported"));
  }

  @Test
  void datalinkZeroIsReadAsEthernet() throws IOException {
    byte[] bytes = TestCaptures.realistic(1, 10, 1500);
    ByteBuffer.wrap(bytes).putInt(12, 0);
    ReaderHarness.Result r = readBothWays(write("dlt0.snoop", bytes));
    assertThat(r.errors, empty());
    assertThat(r.records, hasSize(10));
    assertThat(r.records.get(0).datalinkType(), is(4));
  }

  @Test
  void corruptRecordHeadersMidFile() throws IOException {
    // Each variant damages the header of record 5 of 20; the region is that record exactly.
    String[] variants = {"random", "recLen0", "recLen20", "recLenHuge", "inclOverOrig", "micros"};
    for (String variant : variants) {
      byte[] bytes = TestCaptures.realistic(7, 20, 1500);
      ReaderHarness.Result clean = ReaderHarness.readSequential(write("clean.snoop", bytes), LIMIT);
      SnoopRecord victim = clean.records.get(5);
      int at = (int) victim.recordOffset();
      int victimLength = SnoopWriter.paddedRecordLength(victim.includedLength());
      ByteBuffer b = ByteBuffer.wrap(bytes);
      String reason;
      switch (variant) {
        case "random" -> {
          byte[] junk = new byte[24];
          new Random(1).nextBytes(junk);
          junk[4] = (byte) 0xC7; // included length far above the limit
          System.arraycopy(junk, 0, bytes, at, 24);
          reason = "included length " + BigEndian.u32(junk, 4) + " > 65535";
        }
        case "recLen0" -> {
          b.putInt(at + 8, 0);
          reason = "record length 0 < 24 + included length " + victim.includedLength();
        }
        case "recLen20" -> {
          b.putInt(at + 8, 20);
          reason = "record length 20 < 24 + included length " + victim.includedLength();
        }
        case "recLenHuge" -> {
          b.putInt(at + 8, 0x7FFFFFFF);
          reason =
              "record length 2147483647 > 24 + included length " + victim.includedLength() + " + 7";
        }
        case "inclOverOrig" -> {
          b.putInt(at, victim.includedLength() - 1);
          reason =
              "included length "
                  + victim.includedLength()
                  + " > original length "
                  + (victim.includedLength() - 1);
        }
        default -> {
          b.putInt(at + 20, 1_000_000);
          reason = "microseconds 1000000 >= 1000000";
        }
      }
      Path file = write(variant + ".snoop", bytes);
      ReaderHarness.Result r = readBothWays(file);
      SnoopReadError e = r.errors.get(0);
      assertThat(variant, r.errors, hasSize(1));
      assertThat(variant, e.kind(), is(SnoopReadError.Kind.CORRUPT_REGION));
      assertThat(variant, e.offset(), is((long) at));
      assertThat(variant, e.bytes(), is((long) victimLength));
      assertThat(
          variant,
          e.message(),
          equalTo(
              file
                  + ": corrupt record header at offset "
                  + at
                  + " ("
                  + reason
                  + "); skipped "
                  + victimLength
                  + " bytes to the next record boundary at offset "
                  + (at + victimLength)));
      assertThat(variant, offsets(r), equalTo(offsetsWithout(clean, 5)));
      assertAccounting(file, r);
    }
  }

  @Test
  void truncatedLastRecord() throws IOException {
    byte[] bytes = TestCaptures.realistic(8, 30, 1500);
    ReaderHarness.Result clean = ReaderHarness.readSequential(write("clean.snoop", bytes), LIMIT);
    SnoopRecord last = clean.records.get(29);
    int cut = (int) last.recordOffset() + 24 + last.includedLength() / 2;
    Path file = write("cut.snoop", Arrays.copyOf(bytes, cut));
    ReaderHarness.Result r = readBothWays(file);
    assertThat(r.errors, hasSize(1));
    SnoopReadError e = r.errors.get(0);
    long kept = cut - last.recordOffset();
    assertThat(e.kind(), is(SnoopReadError.Kind.TRUNCATED_RECORD));
    assertThat(e.bytes(), is(kept));
    assertThat(
        e.message(),
        equalTo(
            file
                + ": truncated record at offset "
                + last.recordOffset()
                + ": record length "
                + SnoopWriter.paddedRecordLength(last.includedLength())
                + " but only "
                + kept
                + " bytes before the end of the data"));
    assertThat(offsets(r), equalTo(offsetsWithout(clean, 29)));
    assertAccounting(file, r);
  }

  @Test
  void truncatedLastRecordHeader() throws IOException {
    byte[] bytes = TestCaptures.realistic(8, 30, 1500);
    ReaderHarness.Result clean = ReaderHarness.readSequential(write("clean.snoop", bytes), LIMIT);
    long lastOffset = clean.records.get(29).recordOffset();
    Path file = write("cut-header.snoop", Arrays.copyOf(bytes, (int) lastOffset + 10));
    ReaderHarness.Result r = readBothWays(file);
    assertThat(r.errors, hasSize(1));
    assertThat(r.errors.get(0).kind(), is(SnoopReadError.Kind.TRUNCATED_RECORD));
    assertThat(
        r.errors.get(0).message(),
        equalTo(
            file
                + ": truncated record at offset "
                + lastOffset
                + ": only 10 bytes of a 24-byte record header before the end of the data"));
    assertThat(r.records, hasSize(29));
    assertAccounting(file, r);
  }

  @Test
  void garbageAppendedToAGoodFile() throws IOException {
    byte[] good = TestCaptures.realistic(9, 40, 1500);
    byte[] garbage = new byte[1000];
    new Random(9).nextBytes(garbage);
    garbage[4] = (byte) 0xFF; // make sure the first garbage "header" is invalid
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(good);
    out.write(garbage);
    Path file = write("garbage.snoop", out.toByteArray());
    ReaderHarness.Result r = readBothWays(file);
    assertThat(r.records, hasSize(40));
    assertThat(r.errors, hasSize(1));
    SnoopReadError e = r.errors.get(0);
    assertThat(e.kind(), is(SnoopReadError.Kind.CORRUPT_REGION));
    assertThat(e.offset(), is((long) good.length));
    assertThat(e.bytes(), is(1000L));
    assertThat(e.message(), containsString("skipped 1000 bytes to the end of the data"));
    assertAccounting(file, r);
  }

  @Test
  void gzipCaptureIsReadWhole() throws IOException {
    byte[] bytes = TestCaptures.adversarial(10, 300, 1500);
    Path plain = write("c.snoop", bytes);
    Path gz = write("c.snoop.gz", gzip(bytes));
    ReaderHarness.Result fromPlain = ReaderHarness.readSequential(plain, LIMIT);
    ReaderHarness.Result fromGz = ReaderHarness.readGzip(gz, LIMIT);
    assertThat(fromGz.errors, empty());
    assertThat(fromGz.records.size(), is(300));
    for (int i = 0; i < 300; i++) {
      assertThat(fromGz.records.get(i).frame(), equalTo(fromPlain.records.get(i).frame()));
      assertThat(fromGz.records.get(i).recordOffset(), is(fromPlain.records.get(i).recordOffset()));
    }
  }

  @Test
  void truncatedGzipIsReportedLikeATruncatedFile() throws IOException {
    byte[] bytes = TestCaptures.realistic(11, 400, 1500);
    byte[] compressed = gzip(bytes);
    Path gz = write("cut.snoop.gz", Arrays.copyOf(compressed, compressed.length / 2));
    ReaderHarness.Result full = ReaderHarness.readSequential(write("full.snoop", bytes), LIMIT);
    ReaderHarness.Result r = ReaderHarness.readGzip(gz, LIMIT);
    assertThat(r.errors, hasSize(1));
    SnoopReadError e = r.errors.get(0);
    assertThat(e.kind(), is(SnoopReadError.Kind.TRUNCATED_RECORD));
    assertThat(e.message(), containsString("(the compressed data ends abruptly)"));
    int n = r.records.size();
    assertThat(n > 50 && n < 400, is(true));
    assertThat(offsets(r), equalTo(offsets(full).subList(0, n)));
    assertThat(e.offset(), is(full.records.get(n).recordOffset()));
    assertThat(r.recordBytes + e.bytes(), is(e.offset() + e.bytes() - 16));
  }

  private SnoopReadError onlyFileError(Path file) {
    ReaderHarness.Result r = readBothWays(file);
    assertThat(r.records, empty());
    assertThat(r.errors, hasSize(1));
    SnoopReadError e = r.errors.get(0);
    assertThat(e.isFileLevel(), is(true));
    assertThat(e.file(), is(file.toString()));
    return e;
  }

  /** Reads sequentially and in small ranges; both must agree. */
  private static ReaderHarness.Result readBothWays(Path file) {
    ReaderHarness.Result sequential = ReaderHarness.readSequential(file, LIMIT);
    try {
      long size = Files.size(file);
      for (long split : new long[] {64, 1000, Math.max(1, size)}) {
        assertSameRead(
            sequential,
            ReaderHarness.readSplit(file, LIMIT, ranges(size, split)),
            "split " + split);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return sequential;
  }

  private static void assertAccounting(Path file, ReaderHarness.Result r) throws IOException {
    assertThat(
        "good record bytes + reported bytes",
        r.recordBytes + r.bytesReported(),
        is(Files.size(file) - 16));
  }

  private static List<Long> offsets(ReaderHarness.Result r) {
    return r.records.stream().map(SnoopRecord::recordOffset).toList();
  }

  private static List<Long> offsetsWithout(ReaderHarness.Result r, int index) {
    List<Long> all = new java.util.ArrayList<>(offsets(r));
    all.remove(index);
    return all;
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
