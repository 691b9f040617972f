package dev.connbal.transforms.decode;

import static dev.connbal.transforms.decode.FrameDecoderTest.counters;
import static dev.connbal.transforms.testing.Packets.SYN;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.connbal.snoop.LinkTypes;
import dev.connbal.transforms.testing.Packets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.IpNumber;

/**
 * Every link type SEMANTICS.md names, with its header built byte by byte in front of the same IPv4
 * packets: each leads to the TCP SYN and the DNS datagram inside (IPv6 too: ethertype 0x86dd, the
 * version nibble, the BSD address families 24, 28 and 30), a header cut short is malformed, and
 * other link types are counted by their own reason.
 */
class FrameDecoderLinkTypesTest {
  private static final String CLIENT = "10.0.0.1";
  private static final String SERVER = "192.168.1.200";
  private static final String RESOLVER = "10.0.0.53";

  private static final String SYN_EVENT =
      "tcp 10.0.0.1:40001 > 192.168.1.200:443 flags=0x2 seq=12345";

  private static final HexFormat HEX = HexFormat.of();

  /** SLL v1: incoming (0), ARPHRD_ETHER (1), 6-byte address padded to 8, then the protocol. */
  private static final String SLL_V1_PREFIX = "0000" + "0001" + "0006" + "020000000001" + "0000";

  /**
   * SLL v2 after its protocol: reserved, interface index 2, ARPHRD_ETHER, incoming, 6-byte address
   * padded to 8.
   */
  private static final String SLL_V2_SUFFIX =
      "0000" + "00000002" + "0001" + "00" + "06" + "020000000001" + "0000";

  private final RecordingVisitor visitor = new RecordingVisitor();
  private final DecodeStats stats = new DecodeStats();

  /** The link headers (hex) put in front of an IPv4 and an IPv6 packet for {@code linkType}. */
  record Link(String name, int linkType, String ipv4Header, String ipv6Header) {
    byte[] ipv4(byte[] ip) {
      return concat(HEX.parseHex(ipv4Header), ip);
    }

    byte[] ipv6(byte[] ip) {
      return concat(HEX.parseHex(ipv6Header), ip);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Link> links() {
    return Stream.of(
        new Link(
            "Ethernet",
            LinkTypes.ETHERNET,
            "020000000002" + "020000000001" + "0800",
            "020000000002" + "020000000001" + "86dd"),
        new Link(
            "Ethernet 802.1Q",
            LinkTypes.ETHERNET,
            "020000000002" + "020000000001" + "8100" + "0064" + "0800",
            "020000000002" + "020000000001" + "8100" + "0064" + "86dd"),
        new Link(
            "Ethernet QinQ (802.1ad over 802.1Q)",
            LinkTypes.ETHERNET,
            "020000000002" + "020000000001" + "88a8" + "00c8" + "8100" + "0064" + "0800",
            "020000000002" + "020000000001" + "88a8" + "00c8" + "8100" + "0064" + "86dd"),
        new Link(
            "Linux cooked v1", LinkTypes.LINUX_SLL, SLL_V1_PREFIX + "0800", SLL_V1_PREFIX + "86dd"),
        new Link(
            "Linux cooked v1 802.1Q",
            LinkTypes.LINUX_SLL,
            SLL_V1_PREFIX + "8100" + "0064" + "0800",
            SLL_V1_PREFIX + "8100" + "0064" + "86dd"),
        new Link(
            "Linux cooked v2",
            LinkTypes.LINUX_SLL2,
            "0800" + SLL_V2_SUFFIX,
            "86dd" + SLL_V2_SUFFIX),
        new Link("raw IP (101)", LinkTypes.RAW, "", ""),
        new Link("NULL little-endian", LinkTypes.NULL, "02000000", "1e000000"),
        new Link("NULL big-endian", LinkTypes.NULL, "00000002", "0000001c"),
        new Link("LOOP", LinkTypes.LOOP, "00000002", "00000018"));
  }

  static Stream<Arguments> ipv4Links() {
    return Stream.concat(
        links().map(Arguments::of),
        Stream.of(Arguments.of(new Link("raw IPv4 (228)", LinkTypes.IPV4, "", ""))));
  }

  static Stream<Arguments> ipv6Links() {
    return Stream.concat(
        links().map(Arguments::of),
        Stream.of(
            Arguments.of(new Link("raw IPv6 (229)", LinkTypes.IPV6, "", "")),
            Arguments.of(new Link("NULL FreeBSD little-endian", LinkTypes.NULL, "", "1c000000")),
            Arguments.of(new Link("NULL NetBSD big-endian", LinkTypes.NULL, "", "00000018")),
            Arguments.of(new Link("NULL Darwin big-endian", LinkTypes.NULL, "", "0000001e"))));
  }

  private void decode(Link link, byte[] frame) {
    FrameDecoder.decode(frame, link.linkType(), visitor, stats);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ipv4Links")
  void synReachesTheVisitor(Link link) {
    decode(link, link.ipv4(synPacket()));

    assertThat(visitor.events, contains(SYN_EVENT));
    assertThat(counters(stats), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ipv4Links")
  void dnsQueryReachesTheVisitor(Link link) {
    byte[] message = Packets.dnsQueryMessage(0x4242, "www.example.com", 1);
    decode(link, link.ipv4(dnsPacket(message)));

    assertThat(visitor.events, contains("dns 10.0.0.1:5353 > 10.0.0.53:53 len=33"));
    assertThat(visitor.dnsPayloads.get(0), is(message));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ipv4Links")
  void headerCutShortIsMalformed(Link link) {
    byte[] whole = link.ipv4(synPacket());
    // Every cut inside the link header, and one just after it (no IPv4 header at all).
    int headerLength = link.ipv4Header().length() / 2;
    for (int cut = 0; cut <= headerLength; cut++) {
      decode(link, Arrays.copyOf(whole, cut));
    }

    long frames = headerLength + 1L;
    assertThat(visitor.events, is(empty()));
    assertThat(counters(stats), is(List.of(frames, 0L, 0L, 0L, frames, 0L, 0L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ipv6Links")
  void ipv6DnsQueryReachesTheVisitor(Link link) {
    decode(link, link.ipv6(ipv6Packet()));

    assertThat(visitor.events, contains("dns 2001:db8::1:5353 > 2001:db8::53:53 len=27"));
    assertThat(counters(stats), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ipv6Links")
  void ipv6CutInsideItsHeaderIsMalformed(Link link) {
    decode(link, Arrays.copyOf(link.ipv6(ipv6Packet()), link.ipv6Header().length() / 2 + 39));

    assertThat(counters(stats), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  @Test
  void rawIpOfAnotherVersionIsMalformed() {
    byte[] packet = synPacket();
    packet[0] = 0x55;
    FrameDecoder.decode(packet, LinkTypes.RAW, visitor, stats);
    // 228 promises IPv4: an IPv6 packet there is a broken IPv4 header.
    FrameDecoder.decode(ipv6Packet(), LinkTypes.IPV4, visitor, stats);

    assertThat(counters(stats), is(List.of(2L, 0L, 0L, 0L, 2L, 0L, 0L)));
  }

  @Test
  void otherProtocolsAndFamiliesAreNotIp() {
    byte[] arp = Arrays.copyOfRange(Packets.arpRequest(CLIENT, SERVER), 14, 42);
    FrameDecoder.decode(
        concat(HEX.parseHex(SLL_V1_PREFIX + "0806"), arp), LinkTypes.LINUX_SLL, visitor, stats);
    FrameDecoder.decode(
        concat(HEX.parseHex("0806" + SLL_V2_SUFFIX), arp), LinkTypes.LINUX_SLL2, visitor, stats);
    // AF_APPLETALK (16) in either order; an IPX family; LOOP reads only big-endian.
    FrameDecoder.decode(concat(HEX.parseHex("10000000"), arp), LinkTypes.NULL, visitor, stats);
    FrameDecoder.decode(concat(HEX.parseHex("00000010"), arp), LinkTypes.NULL, visitor, stats);
    FrameDecoder.decode(concat(HEX.parseHex("00000017"), arp), LinkTypes.LOOP, visitor, stats);
    FrameDecoder.decode(
        concat(HEX.parseHex("02000000"), synPacket()), LinkTypes.LOOP, visitor, stats);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(stats), is(List.of(6L, 0L, 6L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void unknownLinkTypesAreCountedByTheirReason() {
    byte[] syn = synPacket();
    for (int linkType : new int[] {3, 9, 105, 127, 192, 0xffff, -1}) {
      FrameDecoder.decode(syn, linkType, visitor, stats);
    }

    assertThat(visitor.events, is(empty()));
    assertThat(counters(stats), is(List.of(7L, 7L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void theDecoderReadsExactlyTheLinkTypesTheReadersCallDecoded() {
    // An empty frame is malformed under every decoded link type, skipped under any other.
    for (int linkType = 0; linkType <= 0xffff; linkType++) {
      DecodeStats one = new DecodeStats();
      FrameDecoder.decode(new byte[0], linkType, visitor, one);
      assertThat(
          "link type " + linkType, one.unsupportedLinkType == 0, is(LinkTypes.isDecoded(linkType)));
    }
  }

  @Test
  void decodingEveryLinkTypeAllocatesNothing() {
    List<Link> links = links().toList();
    byte[][] frames = new byte[links.size() * 2][];
    int[] linkTypes = new int[frames.length];
    for (int k = 0; k < links.size(); k++) {
      frames[2 * k] = links.get(k).ipv4(synPacket());
      frames[2 * k + 1] = links.get(k).ipv6(ipv6Packet());
      linkTypes[2 * k] = links.get(k).linkType();
      linkTypes[2 * k + 1] = links.get(k).linkType();
    }

    assertThat(FrameDecoderTest.bytesAllocatedDecoding(frames, linkTypes), lessThan(20_000L));
  }

  private static byte[] synPacket() {
    return Packets.ipv4(
            CLIENT,
            SERVER,
            IpNumber.TCP,
            Packets.tcpBuilder(CLIENT, 40001, SERVER, 443, SYN, 12345))
        .build()
        .getRawData();
  }

  private static byte[] dnsPacket(byte[] message) {
    return Packets.ipv4(
            CLIENT,
            RESOLVER,
            IpNumber.UDP,
            Packets.udpBuilder(CLIENT, 5353, RESOLVER, 53)
                .payloadBuilder(new UnknownPacket.Builder().rawData(message)))
        .build()
        .getRawData();
  }

  /** An IPv6 DNS query: 40-byte header, UDP, 27-byte message; no Ethernet padding to strip. */
  private static byte[] ipv6Packet() {
    byte[] frame =
        Packets.ipv6Udp(
            "2001:db8::1", 5353, "2001:db8::53", 53, Packets.dnsQueryMessage(1, "a.example", 1));
    return Arrays.copyOfRange(frame, 14, frame.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
