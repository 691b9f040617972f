package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stream cut by {@link StreamFraming} into captures, each its prefix and whole records, reads as
 * the whole stream: the same records in the same order, and no capture with an error. Streams
 * arrive in pieces of odd sizes, and are cut before every record (the most cuts there can be).
 */
class StreamFramingTest {
  private static final Path CAPTURES = Path.of("src/test/resources/captures");

  @TempDir Path tmp;

  static List<String> fixtures() {
    return CaptureFixturesTest.fixtures();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void realCapturesCutAtEveryRecordReadAsTheWhole(String name) throws IOException {
    assertCutReadsAsWhole(Files.readAllBytes(CAPTURES.resolve(name)));
  }

  @ParameterizedTest
  @EnumSource(TestCaptures.Format.class)
  void generatedCapturesCutAtEveryRecordReadAsTheWhole(TestCaptures.Format format)
      throws IOException {
    assertCutReadsAsWhole(TestCaptures.realistic(format, 17, 300, 1500));
  }

  @Test
  void aRecordCutShortAtTheEndIsPending() {
    byte[] capture = TestCaptures.realistic(7, 3, 200);
    Recorder units = new Recorder();
    StreamFraming framing = new StreamFraming(units);
    framing.feed(capture, 0, capture.length - 5);
    assertThat(units.prefix, equalTo(List.of(true, false, false)));
    assertThat(units.lengths.get(0), is(SnoopFileReader.FILE_HEADER_LENGTH));
    assertThat(
        framing.pending(), equalTo(Arrays.copyOfRange(capture, units.total(), capture.length - 5)));
    assertThat(framing.cuttable(), is(true));
  }

  @Test
  void aStreamThatIsNoCaptureIsRaw() {
    byte[] text = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    Recorder units = new Recorder();
    StreamFraming framing = new StreamFraming(units);
    framing.feed(text, 0, 2);
    assertThat("4 bytes tell the format", units.prefix, empty());
    framing.feed(text, 2, text.length - 2);
    assertThat(framing.cuttable(), is(false));
    assertThat(framing.prefix().length, is(0));
    assertThat(units.bytes.toByteArray(), equalTo(text));
    assertThat(units.prefix, everyItem(is(false)));
  }

  @Test
  void anImpossibleRecordLengthTurnsTheRestRaw() {
    byte[] capture = TestCaptures.realistic(7, 3, 200);
    // Snoop's record length: big-endian, 8 bytes into a record's header.
    int second = SnoopFileReader.FILE_HEADER_LENGTH + (int) BigEndian.u32(capture, 16 + 8);
    capture[second + 8] = 0x7f;
    Recorder units = new Recorder();
    StreamFraming framing = new StreamFraming(units);
    framing.feed(capture, 0, capture.length);
    assertThat(framing.cuttable(), is(false));
    assertThat(framing.pending().length, is(0));
    assertThat(units.bytes.toByteArray(), equalTo(capture));
    assertThat(units.lengths.subList(0, 2), equalTo(List.of(16, second - 16)));
  }

  private void assertCutReadsAsWhole(byte[] stream) throws IOException {
    Path whole = tmp.resolve("whole");
    Files.write(whole, stream);
    ReaderHarness.Result expected = ReaderHarness.readSequential(whole, 262144);

    Cutter cutter = new Cutter();
    StreamFraming framing = new StreamFraming(cutter);
    cutter.framing = framing;
    for (int at = 0, piece = 1; at < stream.length; at += piece, piece = piece % 97 + 13) {
      framing.feed(stream, at, Math.min(piece, stream.length - at));
    }
    assertThat(framing.pending().length, is(0));
    cutter.cut();

    List<String> records = new ArrayList<>();
    int timed = 0;
    for (int i = 0; i < cutter.captures.size(); i++) {
      Path part = tmp.resolve("part-" + i);
      Files.write(part, cutter.captures.get(i));
      ReaderHarness.Result read = ReaderHarness.readSequential(part, 262144);
      assertThat("errors of part " + i, read.errors, empty());
      read.records.forEach(r -> records.add(withoutPlace(r)));
      long time = cutter.times.get(i);
      if (time != StreamFraming.NO_TIME) {
        assertThat("time of part " + i, read.records.get(0).timestampMicros(), is(time));
        timed++;
      }
    }
    assertThat("records whose time the framing told", timed, greaterThan(0));
    if (framing.cuttable()) {
      assertThat(cutter.captures.size(), greaterThan(expected.records.size() / 2));
    }
    assertThat(
        records, equalTo(expected.records.stream().map(StreamFramingTest::withoutPlace).toList()));
  }

  /** A record as a reader of any capture that holds it sees it: all but its file and offset. */
  private static String withoutPlace(SnoopRecord r) {
    return r.timestampMicros()
        + " "
        + r.originalLength()
        + " "
        + r.includedLength()
        + " "
        + r.cumulativeDrops()
        + " "
        + r.linkType()
        + " "
        + HexFormat.of().formatHex(r.frame());
  }

  /** Makes a capture of each record: the prefix as it stands, then the record. */
  private static final class Cutter implements StreamFraming.Units {
    final List<byte[]> captures = new ArrayList<>();

    /** Per capture, the time its first record unit carried. */
    final List<Long> times = new ArrayList<>();

    ByteArrayOutputStream current;
    StreamFraming framing;

    @Override
    public void unit(byte[] bytes, int offset, int length, boolean prefix, long micros) {
      if (prefix && current == null) {
        return;
      }
      if (!prefix && current != null && framing.cuttable()) {
        cut();
      }
      if (current == null) {
        times.add(micros);
        current = new ByteArrayOutputStream();
        current.writeBytes(framing.prefix());
      }
      current.write(bytes, offset, length);
    }

    void cut() {
      if (current != null) {
        captures.add(current.toByteArray());
        current = null;
      }
    }
  }

  /** Every unit handed on: whether it was prefix, its length, and all bytes in order. */
  private static final class Recorder implements StreamFraming.Units {
    final List<Boolean> prefix = new ArrayList<>();
    final List<Integer> lengths = new ArrayList<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void unit(byte[] b, int offset, int length, boolean isPrefix, long micros) {
      prefix.add(isPrefix);
      lengths.add(length);
      bytes.write(b, offset, length);
    }

    int total() {
      return bytes.size();
    }
  }
}
