package dev.connbal.transforms;

import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.a;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.connbal.snoop.testing.CaptureTools;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.testing.Packets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same lookup and connections captured on three links that are not Ethernet, written as pcap
 * files byte by byte: Linux cooked capture v2 ({@code tcpdump -i any}) and v1, and BSD loopback
 * (NULL, a little-endian host). Each gives the rows derived below, and its skipped frames by
 * reason; a pcap of a link type connbal does not decode is reported once and its frames counted.
 *
 * <p>The capture: 10.0.0.1 asks 10.0.0.53 for api.example.com (A), which answers with three
 * addresses; 10.0.0.1 then opens a connection to 192.168.1.2:443 and one to 192.168.1.1:443; an
 * IPv6 datagram to port 53 whose payload is a DNS header without a question (a malformed DNS
 * message) and a frame that is not IP pass by. By SEMANTICS.md's rules: the answer holds three
 * records, so each address is a backend of 10.0.0.1 named api.example.com., listed by one matched
 * response (#dns 1); each SYN after the answer counts once on its backend's port 443; 192.168.1.3
 * got none and has no known port ({@code :?}, #conns 0).
 */
class LinkTypeCapturesTest {
  private static final String CLIENT = "10.0.0.1";
  private static final String RESOLVER = "10.0.0.53";
  private static final String NAME = "api.example.com";
  private static final long T = 1_700_000_000L;

  private static final String EXPECTED_TSV =
      "010.000.000.001\t192.168.001.001:443\t1\t1\tapi.example.com.\n"
          + "010.000.000.001\t192.168.001.002:443\t1\t1\tapi.example.com.\n"
          + "010.000.000.001\t192.168.001.003:?\t0\t1\tapi.example.com.\n";

  /**
   * What tshark shows of the six frames (ip.src, ip.dst, udp.dstport, tcp.dstport, dns.a,
   * ipv6.dst), whatever the link.
   */
  private static final List<String> EXPECTED_TSHARK =
      List.of(
          "10.0.0.1\t10.0.0.53\t53\t\t\t",
          "10.0.0.53\t10.0.0.1\t40000\t\t192.168.1.1,192.168.1.2,192.168.1.3\t",
          "10.0.0.1\t192.168.1.2\t\t443\t\t",
          "\t\t53\t\t\t2001:db8::53",
          "\t\t\t\t\t",
          "10.0.0.1\t192.168.1.1\t\t443\t\t");

  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path tmp;

  /** A link: the registry's link type and its headers (hex) before IPv4, IPv6 and neither. */
  enum Link {
    LINUX_SLL2(
        276,
        "0800" + "0000" + "00000002" + "0001" + "00" + "06" + "020000000001" + "0000",
        "86dd" + "0000" + "00000002" + "0001" + "00" + "06" + "020000000001" + "0000",
        "0806" + "0000" + "00000002" + "0001" + "00" + "06" + "020000000001" + "0000"),
    LINUX_SLL(
        113,
        "0000" + "0001" + "0006" + "020000000001" + "0000" + "0800",
        "0000" + "0001" + "0006" + "020000000001" + "0000" + "86dd",
        "0000" + "0001" + "0006" + "020000000001" + "0000" + "0806"),
    // AF_INET 2, AF_INET6 of Darwin 30, AF_APPLETALK 16: little-endian, as an x86 host writes them.
    NULL_LITTLE_ENDIAN(0, "02000000", "1e000000", "10000000");

    final int linkType;
    final String ipv4;
    final String ipv6;
    final String other;

    Link(int linkType, String ipv4, String ipv6, String other) {
      this.linkType = linkType;
      this.ipv4 = ipv4;
      this.ipv6 = ipv6;
      this.other = other;
    }
  }

  @ParameterizedTest
  @EnumSource(Link.class)
  void lookupAndConnectionsGiveTheDerivedRows(Link link) throws IOException {
    Path file = capture(link);

    ConnBalRun.Output out = ConnBalRun.direct(file.toString(), ConnBal.analyze(), tmp);

    assertThat(out.tsv(), equalTo(EXPECTED_TSV));
    assertThat(out.readErrors(), is(List.of()));
    RunReport report = out.report();
    assertThat(
        List.of(
            report.packets(),
            report.unsupportedLinkTypeFrames(),
            report.notIpFrames(),
            report.noTransportHeaderFrames(),
            report.malformedFrames(),
            report.dnsMalformed()),
        contains(6L, 0L, 1L, 0L, 0L, 1L));
  }

  @ParameterizedTest
  @EnumSource(Link.class)
  void tsharkReadsTheSameFrames(Link link) throws Exception {
    assumeTrue(CaptureTools.onPath("tshark"), "tshark is not installed");
    Path file = capture(link);

    List<String> lines =
        CaptureTools.lines(
            "tshark",
            "-r",
            file.toString(),
            "-T",
            "fields",
            "-e",
            "ip.src",
            "-e",
            "ip.dst",
            "-e",
            "udp.dstport",
            "-e",
            "tcp.dstport",
            "-e",
            "dns.a",
            "-e",
            "ipv6.dst");

    assertThat(lines, equalTo(EXPECTED_TSHARK));
  }

  @Test
  void fileOfAnotherLinkTypeIsReportedAndItsFramesCounted() throws IOException {
    // IEEE 802.11 (105): connbal reads the records but decodes none of them.
    Path file =
        pcap(
            tmp.resolve("wifi.pcap"),
            105,
            List.of(new byte[] {(byte) 0x80, 0, 0, 0}, new byte[24]));

    ConnBalRun.Output out = ConnBalRun.direct(file.toString(), ConnBal.analyze(), tmp);

    assertThat(out.tsv(), emptyString());
    assertThat(
        out.readErrors(),
        contains(
            "UNSUPPORTED_LINK_TYPE 0 "
                + file
                + ": unsupported link type 105 (pcap file header); connbal decodes Ethernet (1),"
                + " Linux cooked capture (113, 276), raw IP (101, 228, 229) and BSD loopback"
                + " (0, 108), and counts the frames of other link types as skipped"));
    RunReport report = out.report();
    assertThat(
        List.of(report.packets(), report.unsupportedLinkTypeFrames(), report.filesWithErrors()),
        contains(2L, 2L, 1L));
  }

  private Path capture(Link link) throws IOException {
    byte[] query = ipv4Of(Packets.dnsQuery(CLIENT, 40000, RESOLVER, 0x1234, NAME, TYPE_A));
    byte[] response =
        ipv4Of(
            Packets.dnsResponse(
                CLIENT,
                40000,
                RESOLVER,
                0x1234,
                NAME,
                TYPE_A,
                a(NAME, "192.168.1.1"),
                a(NAME, "192.168.1.2"),
                a(NAME, "192.168.1.3")));
    byte[] ipv6 = Packets.ipv6Udp("2001:db8::1", 40001, "2001:db8::53", 53, new byte[12]);
    byte[] arp = Packets.arpRequest(CLIENT, RESOLVER);
    List<byte[]> frames =
        List.of(
            concat(HEX.parseHex(link.ipv4), query),
            concat(HEX.parseHex(link.ipv4), response),
            concat(
                HEX.parseHex(link.ipv4),
                ipv4Of(Packets.syn(CLIENT, 50001, "192.168.1.2", 443, 1000))),
            concat(HEX.parseHex(link.ipv6), Arrays.copyOfRange(ipv6, 14, ipv6.length)),
            concat(HEX.parseHex(link.other), Arrays.copyOfRange(arp, 14, 14 + 28)),
            concat(
                HEX.parseHex(link.ipv4),
                ipv4Of(Packets.syn(CLIENT, 50002, "192.168.1.1", 443, 2000))));
    return pcap(tmp.resolve(link.name().toLowerCase(Locale.ROOT) + ".pcap"), link.linkType, frames);
  }

  /**
   * A little-endian microsecond pcap file of {@code frames}, one every 100 ms from {@code T}: the
   * response follows its query within the 10 s SEMANTICS.md allows, the SYNs follow the response.
   */
  private static Path pcap(Path file, int linkType, List<byte[]> frames) throws IOException {
    int size = 24 + frames.stream().mapToInt(f -> 16 + f.length).sum();
    ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    b.putInt(262144).putInt(linkType);
    for (int k = 0; k < frames.size(); k++) {
      byte[] f = frames.get(k);
      b.putInt((int) T).putInt(k * 100_000).putInt(f.length).putInt(f.length).put(f);
    }
    return Files.write(file, b.array());
  }

  /** The IPv4 packet inside an Ethernet frame, without the frame's padding. */
  private static byte[] ipv4Of(byte[] ethernet) {
    int totalLength = ((ethernet[16] & 0xff) << 8) | (ethernet[17] & 0xff);
    return Arrays.copyOfRange(ethernet, 14, 14 + totalLength);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
