package dev.connbal.snoop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.connbal.snoop.testing.CaptureTools;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real captures (under {@code src/test/resources/captures}, made as its README says) read as tshark
 * reads them: the same packets, captured and original lengths, link types and times to the
 * microsecond. The expectations are tshark's own listings, committed beside the captures; when
 * tshark is installed, a fresh run must still give them, and capinfos must count the packets the
 * readers read and give their earliest and latest times. Every format is here: snoop, pcap of both
 * byte orders at micro- and nanoseconds, pcapng of one section and of several (of both byte orders
 * in {@code crafted.pcapng}). Every fixture also reads the same whole, split at many sizes, and
 * gzip-compressed.
 */
class CaptureFixturesTest {
  private static final int LIMIT = CaptureFileReader.DEFAULT_MAX_INCLUDED_LENGTH;

  /** Wireshark's encapsulation types (tshark's {@code frame.encap_type}) as registry link types. */
  private static final Map<Integer, Integer> LINK_TYPE_OF_ENCAPSULATION =
      Map.of(1, LinkTypes.ETHERNET, 7, LinkTypes.RAW, 15, LinkTypes.NULL, 25, 113, 210, 276);

  @TempDir Path tmp;

  static List<String> fixtures() {
    return List.of(
        "capture.snoop",
        "capture.pcap",
        "capture-ns.pcap",
        "lo.pcap",
        "lo-ns.pcap",
        "lo-big-endian.pcap",
        "lo-ns-big-endian.pcap",
        "any.pcap",
        "capture.pcapng",
        "multi-interface.pcapng",
        "two-sections.pcapng",
        "crafted.pcapng");
  }

  /** One packet as the listings give it. */
  record Packet(long micros, int captured, int original, int linkType) {}

  @ParameterizedTest
  @MethodSource("fixtures")
  void readsWhatTsharkLists(String name) throws IOException {
    Path file = fixture(name);
    ReaderHarness.Result read = ReaderHarness.readSequential(file, LIMIT);
    assertThat(read.errors, empty());
    assertThat(packets(read.records), equalTo(fromTshark(listing(name))));

    long size = Files.size(file);
    for (long split : List.of(64L, 100L, 333L, 1000L, 4096L, 10_000L, size)) {
      ReaderHarness.assertSameRead(
          read,
          ReaderHarness.readSplit(file, LIMIT, ReaderHarness.ranges(size, split)),
          name + " split " + split);
    }
    Path gz = tmp.resolve(name + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(file, out);
    }
    assertThat(packets(ReaderHarness.readGzip(gz, LIMIT).records), equalTo(packets(read.records)));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void tsharkAndCapinfosStillGiveTheCommittedListings(String name) throws Exception {
    assumeTrue(
        CaptureTools.onPath("tshark") && CaptureTools.onPath("capinfos"),
        "tshark and capinfos are not installed");
    Path file = fixture(name);
    List<String> fresh =
        CaptureTools.lines(
            "tshark",
            "-r",
            file.toString(),
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "frame.interface_id",
            "-e",
            "frame.time_epoch",
            "-e",
            "frame.cap_len",
            "-e",
            "frame.len",
            "-e",
            "frame.encap_type");
    assertThat(fresh, equalTo(listing(name)));
    // capinfos -c -a -e -S -M -T -r: "name<TAB>count<TAB>earliest<TAB>latest", times in epoch
    // seconds. It counts packets, the custom block not among them; it gives no times ("n/a") for
    // a file with Simple Packet Blocks, which carry none.
    String[] info =
        CaptureTools.lines("capinfos", "-c", "-a", "-e", "-S", "-M", "-T", "-r", file.toString())
            .get(0)
            .split("\t");
    List<SnoopRecord> records = ReaderHarness.readSequential(file, LIMIT).records;
    assertThat(Long.parseLong(info[1]), is((long) records.size()));
    if (name.equals("crafted.pcapng")) {
      assertThat(List.of(info[2], info[3]), equalTo(List.of("n/a", "n/a")));
    } else {
      LongSummaryStatistics times =
          records.stream().mapToLong(SnoopRecord::timestampMicros).summaryStatistics();
      assertThat(
          List.of(micros(info[2]), micros(info[3])),
          equalTo(List.of(times.getMin(), times.getMax())));
    }
  }

  /**
   * A pcap in the other byte order holds the same records: the big-endian twins were written from
   * tcpdump's little-endian files by swapping every header field (swap-pcap-byte-order.py).
   */
  @ParameterizedTest
  @ValueSource(strings = {"lo", "lo-ns"})
  void bigEndianPcapReadsAsItsLittleEndianTwin(String name) throws IOException {
    List<SnoopRecord> little = ReaderHarness.readSequential(fixture(name + ".pcap"), LIMIT).records;
    List<SnoopRecord> big =
        ReaderHarness.readSequential(fixture(name + "-big-endian.pcap"), LIMIT).records;
    assertThat(big.size(), is(39));
    assertThat(packets(big), equalTo(packets(little)));
    for (int k = 0; k < little.size(); k++) {
      assertThat(big.get(k).frame(), equalTo(little.get(k).frame()));
    }
  }

  /** The crafted capture, checked by hand against how it was made (craft-pcapng.py). */
  @Test
  void craftedPcapngByHand() throws IOException {
    List<SnoopRecord> r = ReaderHarness.readSequential(fixture("crafted.pcapng"), LIMIT).records;
    assertThat(r.size(), is(9)); // tshark lists 10: it shows the custom block as a frame
    // Section 1 (big-endian): Ethernet at microseconds, cut to the snap length.
    assertThat(r.get(0).linkType(), is(LinkTypes.ETHERNET));
    assertThat(r.get(0).timestampMicros(), is(1796240963_123456L));
    // A Simple Packet Block takes the time of the packet before it.
    assertThat(r.get(1).timestampMicros(), is(1796240963_123456L));
    assertThat(r.get(1).linkType(), is(LinkTypes.ETHERNET));
    // Interface 1: raw IP at 2^-20 s: 777777 / 1048576 s = 0.741745948... s.
    assertThat(r.get(2).linkType(), is(LinkTypes.RAW));
    assertThat(r.get(2).timestampMicros(), is(1796240964_741745L));
    // Interface 2: Linux cooked v1 at nanoseconds, in an obsolete Packet Block with 7 drops.
    assertThat(r.get(3).linkType(), is(LinkTypes.LINUX_SLL));
    assertThat(r.get(3).timestampMicros(), is(1796240965_987654L));
    assertThat(r.get(3).cumulativeDrops(), is(7));
    assertThat(r.get(4).timestampMicros(), is(1796240965_987654L));
    assertThat(r.get(4).includedLength(), is(60));
    assertThat(r.get(5).timestampMicros(), is(1796240966_000000L));
    // Section 2 (little-endian): BSD loopback at milliseconds, interfaces numbered afresh.
    assertThat(r.get(6).linkType(), is(LinkTypes.NULL));
    assertThat(r.get(6).timestampMicros(), is(1796240967_005000L));
    assertThat(r.get(7).timestampMicros(), is(1796240967_005000L));
    assertThat(r.get(8).timestampMicros(), is(1796240968_999000L));
  }

  private static List<Packet> packets(List<SnoopRecord> records) {
    List<Packet> out = new ArrayList<>();
    for (SnoopRecord r : records) {
      out.add(
          new Packet(r.timestampMicros(), r.includedLength(), r.originalLength(), r.linkType()));
    }
    return out;
  }

  /**
   * The packets of a tshark listing, as SEMANTICS.md reads them: times truncated to the
   * microsecond; a row without a time (a Simple Packet Block) at the time of the row before; rows
   * of a pcapng file without an interface (Wireshark shows custom blocks as frames) are no packets.
   */
  private static List<Packet> fromTshark(List<String> lines) {
    List<Packet> out = new ArrayList<>();
    long previous = 0;
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      String iface = f[1];
      String time = f[2];
      String encapsulation = f[5];
      if (encapsulation.isEmpty()) {
        continue;
      }
      long micros = time.isEmpty() ? previous : micros(time);
      previous = micros;
      Integer linkType = LINK_TYPE_OF_ENCAPSULATION.get(Integer.parseInt(encapsulation));
      if (linkType == null) {
        throw new AssertionError("no link type for encapsulation " + encapsulation + " " + iface);
      }
      out.add(
          new Packet(micros, Integer.parseInt(f[3]), Integer.parseInt(f[4]), linkType.intValue()));
    }
    return out;
  }

  /** An epoch time as the tools print it (6 or 9 decimals), truncated to the microsecond. */
  private static long micros(String time) {
    int dot = time.indexOf('.');
    return Long.parseLong(time.substring(0, dot)) * 1_000_000L
        + Long.parseLong(time.substring(dot + 1, dot + 7));
  }

  private static Path fixture(String name) {
    try {
      return Path.of(CaptureFixturesTest.class.getResource("/captures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> listing(String name) throws IOException {
    return Files.readAllLines(fixture(name + ".tshark.tsv"), StandardCharsets.UTF_8);
  }
}
