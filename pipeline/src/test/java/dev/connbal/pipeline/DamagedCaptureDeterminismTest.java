package dev.connbal.pipeline;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.testing.Packets;
import dev.connbal.transforms.testing.RawDns;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command over a damaged capture (a corrupt region, a truncated last record, DNS names with
 * tabs, newlines, dots, backslashes and non-ASCII bytes in their labels) prints exactly the same
 * stdout and the same stderr (report lines, read errors, counters) on every run and whatever the
 * split size: damage is handled the same way wherever the file is cut.
 */
class DamagedCaptureDeterminismTest {
  private static final long T = 1_700_000_000L;
  private static final String CLIENT = "10.0.0.1";
  private static final String RESOLVER = "10.0.0.53";

  /** Labels an attacker controls: a forged TSV row, an escape, a dot, bytes beyond ASCII. */
  private static final byte[][] HOSTILE_LABELS = {
    "x\t010.000.000.009\t9\t9\tforged\n".getBytes(ISO_8859_1),
    {'a', '.', 'b', '\\', 0, (byte) 0xff, 0x7f},
    "example".getBytes(ISO_8859_1)
  };

  @TempDir Path work;

  @Test
  void repeatedRunsAndSplitSizesPrintTheSame() throws IOException {
    Path capture = writeDamagedCapture(work.resolve("damaged.snoop"));
    String file = capture.toString();

    CommandOutcome reference = CommandOutcome.run("-f", file);
    assertThat(reference.toString(), reference.exitCode, is(0));
    // What the damage and the hostile names must give, so that equal runs are also right runs.
    assertThat(reference.err, containsString("corrupt regions skipped: 1\n"));
    assertThat(reference.err, containsString("truncated records: 1\n"));
    assertThat(reference.err, containsString("files with errors: 1\n"));
    assertThat("read errors name the file", reference.err, containsString(file));
    assertThat(reference.out.lines().toList(), everyItem(startsWith("010.000.000.001\t")));
    assertThat(
        reference.out,
        equalTo(
            "010.000.000.001\t010.009.000.001:443\t3\t2\t"
                + "x\\009010\\.000\\.000\\.009\\0099\\0099\\009forged\\010"
                + ".a\\.b\\\\\\000\\255\\127.example.\n"
                + "010.000.000.001\t010.009.000.002:443\t2\t2\t"
                + "x\\009010\\.000\\.000\\.009\\0099\\0099\\009forged\\010"
                + ".a\\.b\\\\\\000\\255\\127.example.\n"));

    for (String split : List.of("64", "100", "1000", "64")) {
      CommandOutcome run = CommandOutcome.run("--split-size=" + split, "-f", file);
      assertThat("split " + split + ": " + run, run.exitCode, is(reference.exitCode));
      assertThat("split " + split + " stdout", run.out, equalTo(reference.out));
      assertThat("split " + split + " stderr", run.err, equalTo(reference.err));
    }
    CommandOutcome again = CommandOutcome.run("-f", file);
    assertThat("repeated run stdout", again.out, equalTo(reference.out));
    assertThat("repeated run stderr", again.err, equalTo(reference.err));
  }

  /**
   * Two lookups of the hostile name answered with two addresses, five connection attempts after
   * them, and unrelated SYNs around; then the record headers of three unrelated SYNs overwritten
   * (one corrupt region) and the last record cut in half.
   */
  static Path writeDamagedCapture(Path file) throws IOException {
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      frames.add(Packets.syn("10.7.0." + (1 + i % 5), 30000 + i, "10.8.0.1", 80, 500 + i));
    }
    int firstLookup = frames.size();
    frames.add(hostileQuery(11));
    frames.add(hostileResponse(11));
    frames.add(Packets.syn(CLIENT, 40001, "10.9.0.1", 443, 1));
    frames.add(Packets.syn(CLIENT, 40002, "10.9.0.2", 443, 2));
    for (int i = 0; i < 30; i++) {
      frames.add(Packets.syn("10.7.0." + (1 + i % 5), 31000 + i, "10.8.0.2", 80, 900 + i));
    }
    int corruptFrom = firstLookup + 4 + 10;
    frames.add(hostileQuery(12));
    frames.add(hostileResponse(12));
    frames.add(Packets.syn(CLIENT, 40003, "10.9.0.1", 443, 3));
    frames.add(Packets.syn(CLIENT, 40004, "10.9.0.1", 443, 4));
    frames.add(Packets.syn(CLIENT, 40005, "10.9.0.2", 443, 5));
    for (int i = 0; i < 30; i++) {
      frames.add(Packets.syn("10.7.0." + (1 + i % 5), 32000 + i, "10.8.0.3", 80, 1300 + i));
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Long> offsets = new ArrayList<>();
    try (SnoopWriter w = SnoopWriter.ethernet(out)) {
      for (int i = 0; i < frames.size(); i++) {
        offsets.add(w.bytesWritten());
        w.write(T + i / 10, (i % 10) * 1000, frames.get(i));
      }
    }
    byte[] bytes = out.toByteArray();
    for (int i = corruptFrom; i < corruptFrom + 3; i++) {
      Arrays.fill(bytes, offsets.get(i).intValue(), offsets.get(i).intValue() + 24, (byte) 0xee);
    }
    long last = offsets.get(offsets.size() - 1);
    byte[] cut = Arrays.copyOf(bytes, (int) (last + 24 + 20));
    Files.write(file, cut);
    return file;
  }

  private static void hostileName(RawDns m) {
    for (byte[] label : HOSTILE_LABELS) {
      m.label(label);
    }
    m.root();
  }

  private static byte[] hostileQuery(int id) {
    RawDns m = RawDns.header(id, RawDns.FLAGS_QUERY, 1, 0, 0, 0);
    hostileName(m);
    return Packets.udpFrame(CLIENT, 5000 + id, RESOLVER, 53, m.u16(1).u16(1).build());
  }

  private static byte[] hostileResponse(int id) {
    RawDns m = RawDns.header(id, RawDns.FLAGS_RESPONSE, 1, 2, 0, 0);
    hostileName(m);
    m.u16(1).u16(1);
    m.pointer(RawDns.QUESTION_OFFSET).u16(1).u16(1).u32(60).u16(4).bytes(10, 9, 0, 1);
    m.pointer(RawDns.QUESTION_OFFSET).u16(1).u16(1).u32(60).u16(4).bytes(10, 9, 0, 2);
    return Packets.udpFrame(RESOLVER, 53, CLIENT, 5000 + id, m.build());
  }
}
