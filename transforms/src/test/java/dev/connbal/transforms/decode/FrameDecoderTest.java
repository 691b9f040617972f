package dev.connbal.transforms.decode;

import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.CWR;
import static dev.connbal.transforms.testing.Packets.ECE;
import static dev.connbal.transforms.testing.Packets.FIN;
import static dev.connbal.transforms.testing.Packets.PSH;
import static dev.connbal.transforms.testing.Packets.RST;
import static dev.connbal.transforms.testing.Packets.SYN;
import static dev.connbal.transforms.testing.Packets.URG;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.sun.management.ThreadMXBean;
import dev.connbal.snoop.LinkTypes;
import dev.connbal.transforms.testing.Packets;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IpV4EndOfOptionList;
import org.pcap4j.packet.IpV4NoOperationOption;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV4RecordRouteOption;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.IpNumber;

class FrameDecoderTest {
  private static final String CLIENT = "10.0.0.1";
  private static final String SERVER = "192.168.1.200";
  private static final String RESOLVER = "10.0.0.53";

  private final RecordingVisitor visitor = new RecordingVisitor();
  private final DecodeStats stats = new DecodeStats();

  private void decode(byte[] frame) {
    FrameDecoder.decode(frame, LinkTypes.ETHERNET, visitor, stats);
  }

  /**
   * frames, unsupportedLinkType, notIp, noTransportHeader, malformedFrames, fragments,
   * dnsMalformed.
   */
  private List<Long> counters() {
    return counters(stats);
  }

  static List<Long> counters(DecodeStats stats) {
    return List.of(
        stats.frames,
        stats.unsupportedLinkType,
        stats.notIp,
        stats.noTransportHeader,
        stats.malformedFrames,
        stats.fragments,
        stats.dnsMalformed);
  }

  @Test
  void tcpSynOverEthernet() {
    decode(Packets.syn(CLIENT, 40001, SERVER, 443, 12345));

    assertThat(
        visitor.events, contains("tcp 10.0.0.1:40001 > 192.168.1.200:443 flags=0x2 seq=12345"));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void tcpToOrFromPort53HandsOverItsPayloadAfterTheSegment() {
    byte[] payload = {0, 3, 1, 2, 3};
    decode(Packets.tcpData(CLIENT, 40001, SERVER, 53, 7, payload));
    decode(Packets.syn(CLIENT, 40002, SERVER, 53, 9));
    decode(Packets.tcpData(CLIENT, 40003, SERVER, 443, 7, payload));

    assertThat(
        visitor.events,
        contains(
            "tcp 10.0.0.1:40001 > 192.168.1.200:53 flags=0x18 seq=7",
            "tcpdns 10.0.0.1:40001 > 192.168.1.200:53 seq=7 len=5",
            "tcp 10.0.0.1:40002 > 192.168.1.200:53 flags=0x2 seq=9",
            "tcpdns 10.0.0.1:40002 > 192.168.1.200:53 seq=9 len=0",
            "tcp 10.0.0.1:40003 > 192.168.1.200:443 flags=0x18 seq=7"));
    // The 5 bytes, not the Ethernet padding up to 60 bytes that follows them.
    assertThat(visitor.dnsPayloads.get(0), is(payload));
  }

  @Test
  void tcpDnsPayloadCutBySnapLengthIsHandedOverAsCaptured() {
    byte[] frame = Packets.tcpData(CLIENT, 40001, SERVER, 53, 7, new byte[] {0, 12, 1, 2, 3, 4});
    // Ethernet 14 + IPv4 20 + TCP 20 = 54; keep 2 bytes of the payload.
    FrameDecoder.decode(Arrays.copyOf(frame, 56), frame.length, LinkTypes.ETHERNET, visitor, stats);

    assertThat(visitor.events.get(1), is("tcpdns 10.0.0.1:40001 > 192.168.1.200:53 seq=7 len=2"));
    assertThat(visitor.dnsPayloads.get(0), is(new byte[] {0, 12}));
  }

  @Test
  void tcpReportsEveryFlagBitHighPortsAndUnsignedSequence() {
    decode(
        Packets.tcp(
            SERVER, 65535, CLIENT, 1, FIN | SYN | RST | PSH | ACK | URG | ECE | CWR, 0xFFFFFFFFL));
    decode(Packets.tcp(CLIENT, 1024, SERVER, 80, SYN | ECE | CWR, 0x80000000L));
    decode(Packets.tcp(CLIENT, 1024, SERVER, 80, ACK | FIN, 0));

    assertThat(
        visitor.events,
        contains(
            "tcp 192.168.1.200:65535 > 10.0.0.1:1 flags=0xff seq=4294967295",
            "tcp 10.0.0.1:1024 > 192.168.1.200:80 flags=0xc2 seq=2147483648",
            "tcp 10.0.0.1:1024 > 192.168.1.200:80 flags=0x11 seq=0"));
  }

  @Test
  void ipsAreNetworkOrderWithFirstOctetHigh() {
    int[] seen = new int[2];
    FrameDecoder.decode(
        Packets.syn("255.1.2.3", 1, "1.2.3.254", 2, 0),
        LinkTypes.ETHERNET,
        new FrameVisitor() {
          @Override
          public void tcp(
              long srcHigh,
              long srcLow,
              int srcPort,
              long dstHigh,
              long dstLow,
              int dstPort,
              int flags,
              long seq) {
            seen[0] = (int) srcLow;
            seen[1] = (int) dstLow;
          }

          @Override
          public void dns(
              long sh, long sl, int sp, long dh, long dl, int dp, byte[] f, int o, int l) {}
        },
        stats);

    assertThat(seen[0], is(0xFF010203));
    assertThat(seen[1], is(Packets.v4("1.2.3.254")));
  }

  @Test
  void dnsQueryAndResponseInBothDirections() {
    byte[] query = Packets.dnsQuery(CLIENT, 5353, RESOLVER, 0x4242, "www.example.com", 1);
    byte[] response =
        Packets.dnsResponse(
            CLIENT,
            5353,
            RESOLVER,
            0x4242,
            "www.example.com",
            1,
            Packets.a("www.example.com", "10.9.9.9"));

    decode(query);
    decode(response);

    byte[] queryMessage = Packets.dnsQueryMessage(0x4242, "www.example.com", 1);
    byte[] responseMessage =
        Packets.dnsResponseMessage(
            0x4242, "www.example.com", 1, Packets.a("www.example.com", "10.9.9.9"));
    assertThat(
        visitor.events,
        contains(
            "dns 10.0.0.1:5353 > 10.0.0.53:53 len=" + queryMessage.length,
            "dns 10.0.0.53:53 > 10.0.0.1:5353 len=" + responseMessage.length));
    assertThat(Arrays.equals(visitor.dnsPayloads.get(0), queryMessage), is(true));
    assertThat(Arrays.equals(visitor.dnsPayloads.get(1), responseMessage), is(true));
  }

  @Test
  void dnsPayloadEndsAtUdpLengthNotAtEthernetPadding() {
    // A 4-byte payload makes a 46-byte frame that Ethernet pads to 60 bytes.
    byte[] frame = Packets.udpFrame(CLIENT, 1000, RESOLVER, 53, new byte[] {1, 2, 3, 4});
    assertThat(frame.length, is(60));

    decode(frame);

    assertThat(visitor.events, contains("dns 10.0.0.1:1000 > 10.0.0.53:53 len=4"));
    assertThat(visitor.dnsPayloads.get(0), is(new byte[] {1, 2, 3, 4}));
  }

  @Test
  void udpOnOtherPortsIsNoEventAndNotAnError() {
    decode(Packets.udpFrame(CLIENT, 1000, SERVER, 123, new byte[48]));

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void oneVlanTag() {
    decode(Packets.vlan(Packets.syn(CLIENT, 40001, SERVER, 443, 7), Packets.TPID_8021Q, 100));

    assertThat(visitor.events, contains("tcp 10.0.0.1:40001 > 192.168.1.200:443 flags=0x2 seq=7"));
  }

  @Test
  void twoStackedTags8021adOver8021q() {
    byte[] inner =
        Packets.vlan(
            Packets.dnsQuery(CLIENT, 5353, RESOLVER, 1, "a.example", 1), Packets.TPID_8021Q, 100);
    decode(Packets.vlan(inner, Packets.TPID_8021AD, 200));

    assertThat(visitor.events.size(), is(1));
    assertThat(visitor.events.get(0).startsWith("dns 10.0.0.1:5353 > 10.0.0.53:53"), is(true));
  }

  @Test
  void legacyQinqTagAndThreeTags() {
    byte[] frame = Packets.syn(CLIENT, 1, SERVER, 2, 3);
    decode(Packets.vlan(Packets.vlan(frame, Packets.TPID_8021Q, 1), Packets.TPID_QINQ_LEGACY, 2));
    decode(
        Packets.vlan(
            Packets.vlan(Packets.vlan(frame, Packets.TPID_8021Q, 1), Packets.TPID_8021AD, 2),
            Packets.TPID_8021AD,
            3));

    assertThat(visitor.events.size(), is(2));
    assertThat(counters(), is(List.of(2L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void ipv4OptionsAreSkippedUsingIhl() {
    IpV4RecordRouteOption recordRoute =
        new IpV4RecordRouteOption.Builder()
            .pointer((byte) 4)
            .routeData(List.of(Packets.inet4("1.1.1.1"), Packets.inet4("2.2.2.2")))
            .correctLengthAtBuild(true)
            .build();
    IpV4Packet.Builder ip =
        Packets.ipv4(
                CLIENT,
                SERVER,
                IpNumber.TCP,
                Packets.tcpBuilder(CLIENT, 40001, SERVER, 443, SYN, 99))
            .options(
                List.of(
                    IpV4NoOperationOption.getInstance(),
                    recordRoute,
                    IpV4EndOfOptionList.getInstance()));
    byte[] frame = Packets.ethernet(ip);
    // 20 + 1 + 11 + 1 = 33 option-bearing bytes, padded to IHL 9 (36 bytes).
    assertThat(frame[14] & 0xff, is(0x49));

    decode(frame);

    assertThat(visitor.events, contains("tcp 10.0.0.1:40001 > 192.168.1.200:443 flags=0x2 seq=99"));
  }

  private static final String V6_CLIENT = "2001:db8::1";
  private static final String V6_SERVER = "2001:db8:1::443";
  private static final int HOP_BY_HOP = 0;
  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final int ROUTING = 43;
  private static final int FRAGMENT = 44;
  private static final int ESP = 50;
  private static final int AH = 51;
  private static final int NO_NEXT_HEADER = 59;
  private static final int DESTINATION_OPTIONS = 60;

  /** A SYN from V6_CLIENT:40000 to V6_SERVER:443, ISN 7: transport header bytes only. */
  private static byte[] v6Syn() {
    return Packets.bytes(Packets.tcpBuilder(V6_CLIENT, 40000, V6_SERVER, 443, SYN, 7));
  }

  private static final String V6_SYN_EVENT =
      "tcp 2001:db8::1:40000 > 2001:db8:1::443:443 flags=0x2 seq=7";

  @Test
  void ipv6DnsQueryOverUdp() {
    byte[] query = Packets.dnsQueryMessage(1, "a.example", 28);
    decode(Packets.ipv6Udp(V6_CLIENT, 5353, "2001:db8::53", 53, query));

    assertThat(
        visitor.events, contains("dns 2001:db8::1:5353 > 2001:db8::53:53 len=" + query.length));
    assertThat(visitor.dnsPayloads.get(0), is(query));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void ipv6SynBehindVlanTag() {
    decode(Packets.vlan(Packets.syn(V6_CLIENT, 40000, V6_SERVER, 443, 7), Packets.TPID_8021Q, 5));

    assertThat(visitor.events, contains(V6_SYN_EVENT));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void hopByHopAndDestinationOptionsBeforeTcpAreWalked() {
    byte[] payload =
        Packets.concat(
            Packets.extensionHeader(DESTINATION_OPTIONS, 0), // 8 bytes
            Packets.extensionHeader(TCP, 2), // 24 bytes
            v6Syn());
    decode(Packets.ipv6Frame(V6_CLIENT, V6_SERVER, HOP_BY_HOP, payload));

    assertThat(visitor.events, contains(V6_SYN_EVENT));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void routingAndAuthenticationHeadersAreWalked() {
    // AH: next header, payload length in 4-octet units minus 2 (4: 24 bytes), then the rest.
    byte[] ah = new byte[24];
    ah[0] = UDP;
    ah[1] = 4;
    byte[] query = Packets.dnsQueryMessage(2, "b.example", 1);
    byte[] udp =
        Packets.bytes(
            Packets.udpBuilder(V6_CLIENT, 5353, "2001:db8::53", 53)
                .payloadBuilder(new org.pcap4j.packet.UnknownPacket.Builder().rawData(query)));
    decode(
        Packets.ipv6Frame(
            V6_CLIENT,
            "2001:db8::53",
            ROUTING,
            Packets.concat(Packets.extensionHeader(AH, 1), ah, udp)));

    assertThat(
        visitor.events, contains("dns 2001:db8::1:5353 > 2001:db8::53:53 len=" + query.length));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void ipv6FirstFragmentOfTcpIsDecodedAndOfUdpIsSkipped() {
    decode(
        Packets.ipv6Frame(
            V6_CLIENT,
            V6_SERVER,
            FRAGMENT,
            Packets.concat(Packets.fragmentHeader(TCP, 0, true), v6Syn())));
    byte[] udp = Packets.bytes(Packets.udpBuilder(V6_CLIENT, 5353, "2001:db8::53", 53));
    decode(
        Packets.ipv6Frame(
            V6_CLIENT,
            "2001:db8::53",
            FRAGMENT,
            Packets.concat(Packets.fragmentHeader(UDP, 0, true), udp)));

    assertThat(visitor.events, contains(V6_SYN_EVENT));
    assertThat(counters(), is(List.of(2L, 0L, 0L, 0L, 0L, 1L, 0L)));
  }

  @Test
  void ipv6NonFirstFragmentIsCountedAndSkipped() {
    // Offset 1 (8 bytes), last fragment: what follows is the middle of the datagram, not a header.
    byte[] looksLikeASyn = v6Syn();
    decode(
        Packets.ipv6Frame(
            V6_CLIENT,
            V6_SERVER,
            HOP_BY_HOP,
            Packets.concat(
                Packets.extensionHeader(FRAGMENT, 0),
                Packets.fragmentHeader(TCP, 1, false),
                looksLikeASyn)));

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 1L, 0L)));
  }

  @Test
  void truncatedExtensionHeaderIsMalformed() {
    // The destination options header claims 24 bytes; the packet ends after 16.
    byte[] cut = Arrays.copyOf(Packets.extensionHeader(TCP, 2), 16);
    decode(Packets.ipv6Frame(V6_CLIENT, V6_SERVER, DESTINATION_OPTIONS, cut));
    // A hop-by-hop header of 4 bytes: shorter than any extension header.
    decode(Packets.ipv6Frame(V6_CLIENT, V6_SERVER, HOP_BY_HOP, new byte[4]));
    // Captured up to the middle of the hop-by-hop header (a snap length).
    byte[] whole =
        Packets.ipv6Frame(
            V6_CLIENT,
            V6_SERVER,
            HOP_BY_HOP,
            Packets.concat(Packets.extensionHeader(TCP, 0), v6Syn()));
    FrameDecoder.decode(
        Arrays.copyOf(whole, 14 + 40 + 4), whole.length, LinkTypes.ETHERNET, visitor, stats);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(3L, 0L, 0L, 0L, 3L, 0L, 0L)));
  }

  @Test
  void espAndNoNextHeaderHideTheTransportHeader() {
    decode(Packets.ipv6Frame(V6_CLIENT, V6_SERVER, ESP, new byte[32]));
    decode(
        Packets.ipv6Frame(
            V6_CLIENT, V6_SERVER, HOP_BY_HOP, Packets.extensionHeader(NO_NEXT_HEADER, 0)));
    decode(
        Packets.ethernet(
            Packets.ipv4(
                CLIENT,
                SERVER,
                org.pcap4j.packet.namednumber.IpNumber.getInstance((byte) ESP),
                new org.pcap4j.packet.UnknownPacket.Builder().rawData(new byte[32]))));

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(3L, 0L, 0L, 3L, 0L, 0L, 0L)));
  }

  @Test
  void otherIpv6ProtocolsAreNoEventAndNotCounted() {
    decode(Packets.ipv6Frame(V6_CLIENT, V6_SERVER, 58, new byte[8])); // ICMPv6

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void ipv6PayloadLengthPastTheFrameIsMalformed() {
    byte[] frame = Packets.syn(V6_CLIENT, 40000, V6_SERVER, 443, 7);
    frame[14 + 4] = 0x10; // payload length 4096 + 20

    decode(frame);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  /**
   * An IPv4-mapped address must not appear in an IPv6 header (RFC 4942 2.1.1); connbal holds IPv4
   * addresses in that form, so such a packet would pass for IPv4 traffic: it is malformed.
   */
  @Test
  void ipv4MappedAddressInAnIpv6HeaderIsMalformed() {
    decode(Packets.syn("::ffff:10.0.0.1", 40000, V6_SERVER, 443, 7));
    decode(Packets.syn(V6_CLIENT, 40000, "::ffff:192.168.1.200", 443, 7));
    // The deprecated IPv4-compatible form is an ordinary IPv6 address.
    decode(Packets.syn("::10.0.0.1", 40000, V6_SERVER, 443, 7));

    assertThat(visitor.events, contains("tcp ::a00:1:40000 > 2001:db8:1::443:443 flags=0x2 seq=7"));
    assertThat(counters(), is(List.of(3L, 0L, 0L, 0L, 2L, 0L, 0L)));
  }

  @Test
  void ipv6ShorterThanItsHeaderIsMalformed() {
    byte[] ipv6 = Packets.ipv6Udp("2001:db8::1", 1, "2001:db8::2", 2, new byte[8]);
    decode(Arrays.copyOf(ipv6, 14 + 39));

    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  @Test
  void arpIsNotIp() {
    decode(Packets.arpRequest(CLIENT, SERVER));

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 1L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void linkTypesAreTheRegistrysNotSnoops() {
    byte[] syn = Packets.syn(CLIENT, 1, SERVER, 2, 3);
    FrameDecoder.decode(syn, 1, visitor, stats); // LINKTYPE_ETHERNET
    FrameDecoder.decode(syn, 4, visitor, stats); // snoop's Ethernet code, registry's PRONET
    FrameDecoder.decode(syn, 8, visitor, stats); // SLIP

    assertThat(visitor.events.size(), is(1));
    assertThat(counters(), is(List.of(3L, 2L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void nonFirstFragmentIsCountedAndSkipped() {
    byte[] frame =
        Packets.ethernet(
            Packets.ipv4(
                    CLIENT,
                    RESOLVER,
                    IpNumber.UDP,
                    new UnknownPacket.Builder().rawData(new byte[40]))
                .dontFragmentFlag(false)
                .fragmentOffset((short) 185));

    decode(frame);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 1L, 0L)));
  }

  @Test
  void firstFragmentOfUdpIsSkippedButOfTcpIsDecoded() {
    // The UDP header claims the whole datagram, of which the first fragment holds a part.
    byte[] udpFirst =
        Packets.ethernet(
            Packets.ipv4(
                    CLIENT,
                    RESOLVER,
                    IpNumber.UDP,
                    new UnknownPacket.Builder().rawData(udpHeader(5353, 53, 1500)))
                .dontFragmentFlag(false)
                .moreFragmentFlag(true));
    byte[] tcpFirst =
        Packets.ethernet(
            Packets.ipv4(
                    CLIENT, SERVER, IpNumber.TCP, Packets.tcpBuilder(CLIENT, 1, SERVER, 2, SYN, 3))
                .dontFragmentFlag(false)
                .moreFragmentFlag(true));

    decode(udpFirst);
    decode(tcpFirst);

    assertThat(visitor.events, contains("tcp 10.0.0.1:1 > 192.168.1.200:2 flags=0x2 seq=3"));
    assertThat(counters(), is(List.of(2L, 0L, 0L, 0L, 0L, 1L, 0L)));
  }

  @Test
  void zeroLengthAndRuntFramesAreMalformed() {
    byte[] syn = Packets.syn(CLIENT, 1, SERVER, 2, 3);
    decode(new byte[0]);
    decode(Arrays.copyOf(syn, 13));
    decode(Arrays.copyOf(syn, 14)); // IPv4 ethertype, no IPv4 header
    decode(Arrays.copyOf(syn, 33)); // 19 of the 20 IPv4 header bytes

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(4L, 0L, 0L, 0L, 4L, 0L, 0L)));
  }

  @Test
  void fourteenByteFrameWithReadableOtherEthertypeIsNotIp() {
    byte[] arp = Packets.arpRequest(CLIENT, SERVER);
    decode(Arrays.copyOf(arp, 14));

    assertThat(counters(), is(List.of(1L, 0L, 1L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void vlanTagCutBeforeItsEthertypeIsMalformed() {
    byte[] tagged = Packets.vlan(Packets.syn(CLIENT, 1, SERVER, 2, 3), Packets.TPID_8021Q, 9);
    decode(Arrays.copyOf(tagged, 14));
    decode(Arrays.copyOf(tagged, 17));

    assertThat(counters(), is(List.of(2L, 0L, 0L, 0L, 2L, 0L, 0L)));
  }

  @Test
  void badIhlIsMalformed() {
    IpV4Packet.Builder ip =
        Packets.ipv4(
            CLIENT, SERVER, IpNumber.TCP, Packets.tcpBuilder(CLIENT, 1, SERVER, 2, SYN, 3));
    byte[] good = Packets.ethernet(ip);
    byte[] ihl4 =
        Packets.ethernet(ip.correctLengthAtBuild(false).ihl((byte) 4).totalLength((short) 40));
    // IHL 15 = 60 bytes of header, more than the 40-byte packet.
    byte[] ihl15 = Packets.ethernet(ip.ihl((byte) 15));

    decode(good);
    decode(ihl4);
    decode(ihl15);

    assertThat(visitor.events.size(), is(1));
    assertThat(counters(), is(List.of(3L, 0L, 0L, 0L, 2L, 0L, 0L)));
  }

  @Test
  void badTotalLengthIsMalformed() {
    IpV4Packet.Builder ip =
        Packets.ipv4(CLIENT, SERVER, IpNumber.TCP, Packets.tcpBuilder(CLIENT, 1, SERVER, 2, SYN, 3))
            .correctLengthAtBuild(false)
            .ihl((byte) 5);
    // The 54-byte frame is padded to 60: 46 bytes from the IPv4 header on, 47 is too many.
    decode(Packets.ethernet(ip.totalLength((short) 47)));
    decode(Packets.ethernet(ip.totalLength((short) 19))); // shorter than the header
    decode(Packets.ethernet(ip.totalLength((short) 0))); // segmentation offload artefact

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(3L, 0L, 0L, 0L, 3L, 0L, 0L)));
  }

  @Test
  void snapLengthCutInsideThePacketIsMalformed() {
    byte[] query = Packets.dnsQuery(CLIENT, 5353, RESOLVER, 1, "www.example.com", 1);
    decode(Arrays.copyOf(query, query.length - 1));

    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  @Test
  void segmentCutBySnapLengthIsDecodedFromItsCapturedHeader() {
    // A data segment of 1000 bytes captured with a 64-byte snap length: the IPv4 total length
    // (1040) exceeds the 64 captured bytes but fits the original 1054-byte frame.
    byte[] whole =
        Packets.ethernet(
            Packets.ipv4(
                CLIENT,
                SERVER,
                IpNumber.TCP,
                Packets.tcpBuilder(CLIENT, 40001, SERVER, 443, Packets.ACK, 7)
                    .payloadBuilder(new UnknownPacket.Builder().rawData(new byte[1000]))));
    FrameDecoder.decode(Arrays.copyOf(whole, 64), whole.length, LinkTypes.ETHERNET, visitor, stats);

    assertThat(visitor.events, contains("tcp 10.0.0.1:40001 > 192.168.1.200:443 flags=0x10 seq=7"));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L)));
  }

  @Test
  void snapLengthCuttingTcpOptionsStillShowsTheSyn() {
    // 14 + 20 + 24 bytes: a SYN whose 20 bytes of options the snap length cut after 4.
    byte[] whole =
        Packets.ethernet(
            Packets.ipv4(
                CLIENT,
                SERVER,
                IpNumber.TCP,
                Packets.tcpBuilder(CLIENT, 40001, SERVER, 443, Packets.SYN, 9)
                    .dataOffset((byte) 10)
                    .correctLengthAtBuild(false)
                    .payloadBuilder(new UnknownPacket.Builder().rawData(new byte[20]))));
    FrameDecoder.decode(
        Arrays.copyOf(whole, 14 + 20 + 24), whole.length, LinkTypes.ETHERNET, visitor, stats);

    assertThat(visitor.events, contains("tcp 10.0.0.1:40001 > 192.168.1.200:443 flags=0x2 seq=9"));
  }

  @Test
  void dnsMessageCutBySnapLengthIsMalformed() {
    byte[] query = Packets.dnsQuery(CLIENT, 5353, RESOLVER, 1, "www.example.com", 1);
    FrameDecoder.decode(
        Arrays.copyOf(query, query.length - 5), query.length, LinkTypes.ETHERNET, visitor, stats);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  @Test
  void totalLengthBeyondTheOriginalFrameIsMalformedEvenWhenCut() {
    IpV4Packet.Builder ip =
        Packets.ipv4(
                CLIENT,
                SERVER,
                IpNumber.TCP,
                Packets.tcpBuilder(CLIENT, 1, SERVER, 2, Packets.SYN, 3))
            .correctLengthAtBuild(false)
            .ihl((byte) 5)
            .totalLength((short) 500);
    byte[] frame = Packets.ethernet(ip);
    FrameDecoder.decode(frame, frame.length + 100, LinkTypes.ETHERNET, visitor, stats);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  @Test
  void notIpVersion4IsMalformed() {
    byte[] frame = Packets.syn(CLIENT, 1, SERVER, 2, 3);
    frame[14] = 0x65; // version 6, IHL 5, behind an IPv4 ethertype
    decode(frame);

    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  @Test
  void shortTcpHeaderIsMalformed() {
    byte[] twelveBytes =
        Packets.ethernet(
            Packets.ipv4(
                CLIENT,
                SERVER,
                IpNumber.TCP,
                new UnknownPacket.Builder()
                    .rawData(
                        Arrays.copyOf(
                            Packets.tcpBuilder(CLIENT, 1, SERVER, 2, SYN, 3).build().getRawData(),
                            12))));

    decode(twelveBytes);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(1L, 0L, 0L, 0L, 1L, 0L, 0L)));
  }

  @Test
  void tcpDataOffsetBelowFiveOrPastThePacketIsMalformed() {
    byte[] offset4 =
        Packets.ethernet(
            Packets.ipv4(
                CLIENT,
                SERVER,
                IpNumber.TCP,
                Packets.tcpBuilder(CLIENT, 1, SERVER, 2, SYN, 3)
                    .correctLengthAtBuild(false)
                    .dataOffset((byte) 4)));
    byte[] offset15 =
        Packets.ethernet(
            Packets.ipv4(
                CLIENT,
                SERVER,
                IpNumber.TCP,
                Packets.tcpBuilder(CLIENT, 1, SERVER, 2, SYN, 3)
                    .correctLengthAtBuild(false)
                    .dataOffset((byte) 15)));

    decode(offset4);
    decode(offset15);

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(2L, 0L, 0L, 0L, 2L, 0L, 0L)));
  }

  @Test
  void badUdpLengthIsMalformed() {
    decode(udpWithHeader(udpHeader(5353, 53, 7), 20)); // below the 8-byte header
    decode(udpWithHeader(udpHeader(5353, 53, 29), 20)); // past the IP payload of 28
    decode(
        Packets.ethernet(
            Packets.ipv4(
                CLIENT,
                RESOLVER,
                IpNumber.UDP,
                new UnknownPacket.Builder()
                    .rawData(new byte[] {0x14, (byte) 0xe9, 0, 53, 0})))); // 5 bytes

    assertThat(visitor.events, is(empty()));
    assertThat(counters(), is(List.of(3L, 0L, 0L, 0L, 3L, 0L, 0L)));
  }

  @Test
  void udpLengthShorterThanIpPayloadBoundsTheMessage() {
    decode(udpWithHeader(udpHeader(53, 5353, 8 + 12), 20));

    assertThat(visitor.events, contains("dns 10.0.0.1:53 > 10.0.0.53:5353 len=12"));
  }

  @Test
  void statsAdd() {
    DecodeStats a = new DecodeStats();
    a.frames = 10;
    a.unsupportedLinkType = 1;
    a.notIp = 2;
    a.noTransportHeader = 3;
    a.malformedFrames = 4;
    a.fragments = 5;
    a.dnsMalformed = 6;
    DecodeStats b = new DecodeStats();
    b.frames = 100;
    b.unsupportedLinkType = 10;
    b.notIp = 20;
    b.noTransportHeader = 30;
    b.malformedFrames = 40;
    b.fragments = 50;
    b.dnsMalformed = 60;

    a.add(b);

    assertThat(counters(a), is(List.of(110L, 11L, 22L, 33L, 44L, 55L, 66L)));
    assertThat(b.frames, is(100L));
  }

  @Test
  void decodingTcpAndOtherFramesAllocatesNothing() {
    byte[][] frames = {
      Packets.vlan(Packets.syn(CLIENT, 1, SERVER, 2, 3), Packets.TPID_8021Q, 4),
      Packets.tcp(SERVER, 2, CLIENT, 1, SYN | ACK, 9),
      Packets.arpRequest(CLIENT, SERVER),
      Packets.udpFrame(CLIENT, 1, SERVER, 123, new byte[48]),
      new byte[3],
      Packets.ipv6Frame(
          V6_CLIENT,
          V6_SERVER,
          HOP_BY_HOP,
          Packets.concat(
              Packets.extensionHeader(FRAGMENT, 0),
              Packets.fragmentHeader(TCP, 0, false),
              v6Syn())),
      Packets.ipv6Frame(V6_CLIENT, V6_SERVER, ESP, new byte[32]),
    };
    int[] linkTypes = new int[frames.length];
    Arrays.fill(linkTypes, LinkTypes.ETHERNET);

    // Far below one byte per frame: only the measurement itself may allocate.
    assertThat(bytesAllocatedDecoding(frames, linkTypes), lessThan(20_000L));
  }

  /**
   * The bytes this thread allocates decoding {@code frames[k]} as link type {@code linkTypes[k]},
   * round robin, 200,000 times, for a visitor that allocates nothing.
   */
  static long bytesAllocatedDecoding(byte[][] frames, int[] linkTypes) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    FrameVisitor ignoring =
        new FrameVisitor() {
          @Override
          public void tcp(
              long sh, long sl, int srcPort, long dh, long dl, int dstPort, int flags, long seq) {}

          @Override
          public void dns(
              long sh, long sl, int sp, long dh, long dl, int dp, byte[] f, int o, int l) {}
        };
    DecodeStats s = new DecodeStats();
    long threadId = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(threadId);
    for (int i = 0; i < 200_000; i++) {
      int k = i % frames.length;
      FrameDecoder.decode(frames[k], linkTypes[k], ignoring, s);
    }
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;
    assertThat(s.frames, is(200_000L));
    return allocated;
  }

  private static byte[] udpHeader(int srcPort, int dstPort, int length) {
    return new byte[] {
      (byte) (srcPort >>> 8),
      (byte) srcPort,
      (byte) (dstPort >>> 8),
      (byte) dstPort,
      (byte) (length >>> 8),
      (byte) length,
      0,
      0
    };
  }

  /** A UDP packet whose header is given raw, followed by {@code payload} zero bytes. */
  private static byte[] udpWithHeader(byte[] header, int payload) {
    byte[] udp = Arrays.copyOf(header, header.length + payload);
    return Packets.ethernet(
        Packets.ipv4(CLIENT, RESOLVER, IpNumber.UDP, new UnknownPacket.Builder().rawData(udp)));
  }
}
