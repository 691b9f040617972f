package dev.connbal.snoop;

import static dev.connbal.snoop.ReaderHarness.assertSameRead;
import static dev.connbal.snoop.ReaderHarness.ranges;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of a link type connbal does not decode is reported once where the type is declared (a
 * pcap file header, a pcapng interface), naming the file and the type, whatever the split; its
 * records are still read, for the analysis to count as skipped.
 */
class UnsupportedLinkTypeTest {
  private static final int LIMIT = RecordHeaderRules.DEFAULT_MAX_INCLUDED_LENGTH;
  private static final int IEEE_802_11 = 105;
  private static final String DECODED =
      "connbal decodes Ethernet (1), Linux cooked capture (113, 276), raw IP (101, 228, 229) and"
          + " BSD loopback (0, 108), and counts the frames of other link types as skipped";

  @TempDir Path tmp;

  @Test
  void pcapFileHeaderIsReportedOnceAndItsRecordsAreRead() throws IOException {
    PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, false, IEEE_802_11);
    for (int k = 0; k < 10; k++) {
      w.writeMicros(1_700_000_000L + k, 0, 60, frame(k));
    }
    Path file = write("wifi.pcap", w.bytes());

    ReaderHarness.Result r = readEveryWay(file);

    assertThat(r.errors, hasSize(1));
    SnoopReadError e = r.errors.get(0);
    assertThat(e.kind(), is(SnoopReadError.Kind.UNSUPPORTED_LINK_TYPE));
    assertThat(e.isFileLevel(), is(false));
    assertThat(e.file(), is(file.toString()));
    assertThat(e.offset(), is(20L));
    assertThat(e.bytes(), is(0L));
    assertThat(
        e.message(), equalTo(file + ": unsupported link type 105 (pcap file header); " + DECODED));
    assertThat(r.records, hasSize(10));
    assertThat(r.records.get(9).linkType(), is(IEEE_802_11));
  }

  @Test
  void pcapOfADecodedLinkTypeIsNoError() throws IOException {
    for (int linkType : new int[] {0, 1, 101, 108, 113, 228, 229, 276}) {
      PcapWriter w = new PcapWriter(ByteOrder.BIG_ENDIAN, true, linkType);
      w.writeMicros(1_700_000_000L, 0, 60, frame(0));
      ReaderHarness.Result r = readEveryWay(write("ok-" + linkType + ".pcap", w.bytes()));
      assertThat("link type " + linkType, r.errors, is(List.of()));
    }
  }

  @Test
  void pcapngInterfaceIsReportedOncePerInterfaceDescription() throws IOException {
    // Offsets: section 48 bytes at 0; interfaces of 32 bytes at 48 (Ethernet) and 80 (802.11);
    // packets of 92 bytes at 112 and 204; a big-endian section at 296, its one interface (802.11)
    // at 344 and its packet at 376. An interface's link type is 8 bytes into its block.
    byte[] bytes =
        new PcapngWriter()
            .section(ByteOrder.LITTLE_ENDIAN)
            .interfaceBlock(LinkTypes.ETHERNET, 0, PcapngWriter.TSRESOL_DEFAULT)
            .interfaceBlock(IEEE_802_11, 0, PcapngWriter.TSRESOL_DEFAULT)
            .enhanced(0, 1_700_000_000_000_000L, 60, frame(0), null)
            .enhanced(1, 1_700_000_001_000_000L, 60, frame(1), null)
            .section(ByteOrder.BIG_ENDIAN)
            .interfaceBlock(IEEE_802_11, 0, PcapngWriter.TSRESOL_DEFAULT)
            .enhanced(0, 1_700_000_002_000_000L, 60, frame(2), null)
            .bytes();
    assertThat(bytes.length, is(468));
    Path file = write("mixed.pcapng", bytes);

    ReaderHarness.Result r = readEveryWay(file);

    assertThat(
        r.errors.stream().map(e -> e.kind() + " " + e.offset() + " " + e.message()).toList(),
        contains(
            "UNSUPPORTED_LINK_TYPE 88 "
                + file
                + ": unsupported link type 105 (interface 1 of its section, block at offset 80); "
                + DECODED,
            "UNSUPPORTED_LINK_TYPE 352 "
                + file
                + ": unsupported link type 105 (interface 0 of its section, block at offset 344); "
                + DECODED));
    assertThat(
        r.records.stream().map(SnoopRecord::linkType).toList(),
        contains(LinkTypes.ETHERNET, IEEE_802_11, IEEE_802_11));
  }

  /** Reads sequentially and in ranges of many sizes; every read must agree. */
  private static ReaderHarness.Result readEveryWay(Path file) throws IOException {
    ReaderHarness.Result sequential = ReaderHarness.readSequential(file, LIMIT);
    long size = Files.size(file);
    for (long split : new long[] {1, 7, 20, 21, 24, 64, 100, 1000, size}) {
      assertSameRead(
          sequential, ReaderHarness.readSplit(file, LIMIT, ranges(size, split)), "split " + split);
    }
    return sequential;
  }

  /** A 60-byte frame whose bytes say which one it is. */
  private static byte[] frame(int k) {
    byte[] f = new byte[60];
    for (int i = 0; i < f.length; i++) {
      f[i] = (byte) (k * 31 + i);
    }
    return f;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, bytes);
    return file;
  }
}
