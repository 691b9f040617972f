package dev.connbal.transforms.testing;

import dev.connbal.transforms.keys.IpAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.DnsDomainName;
import org.pcap4j.packet.DnsPacket;
import org.pcap4j.packet.DnsQuestion;
import org.pcap4j.packet.DnsRDataA;
import org.pcap4j.packet.DnsRDataCName;
import org.pcap4j.packet.DnsRDataNs;
import org.pcap4j.packet.DnsResourceRecord;
import org.pcap4j.packet.Dot1qVlanTagPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV4Rfc791Tos;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.IpV6SimpleFlowLabel;
import org.pcap4j.packet.IpV6SimpleTrafficClass;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.UnknownDnsRData;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.ArpHardwareType;
import org.pcap4j.packet.namednumber.ArpOperation;
import org.pcap4j.packet.namednumber.DnsClass;
import org.pcap4j.packet.namednumber.DnsOpCode;
import org.pcap4j.packet.namednumber.DnsRCode;
import org.pcap4j.packet.namednumber.DnsResourceRecordType;
import org.pcap4j.packet.namednumber.EtherType;
import org.pcap4j.packet.namednumber.IpNumber;
import org.pcap4j.packet.namednumber.IpVersion;
import org.pcap4j.packet.namednumber.TcpPort;
import org.pcap4j.packet.namednumber.UdpPort;
import org.pcap4j.util.MacAddress;

/**
 * Builds Ethernet frames for tests with pcap4j, so that the frames under test come from an
 * independent encoder (correct lengths and checksums) rather than from the code being tested.
 *
 * <p>IP addresses are dotted-quad strings; {@link #ip(String)} gives the int form the decoder
 * reports (network order, first octet in the high byte). Frames are untagged; wrap them with {@link
 * #vlan(byte[], int, int)} (repeatedly for stacked tags). DNS messages pcap4j cannot build (hostile
 * names, compression loops) come from {@link RawDns} and go on the wire with {@link #udpFrame}.
 * Snoop files come from {@link Capture}.
 */
public final class Packets {
  /** MAC address of every client-side frame source. */
  public static final MacAddress CLIENT_MAC = MacAddress.getByName("02:00:00:00:00:01");

  /** MAC address of every server-side frame source. */
  public static final MacAddress SERVER_MAC = MacAddress.getByName("02:00:00:00:00:02");

  /** Tag protocol identifier of an 802.1Q (customer) VLAN tag. */
  public static final int TPID_8021Q = 0x8100;

  /** Tag protocol identifier of an 802.1ad (service, "QinQ") VLAN tag. */
  public static final int TPID_8021AD = 0x88a8;

  /** Pre-standard QinQ tag protocol identifier still seen on some switches. */
  public static final int TPID_QINQ_LEGACY = 0x9100;

  /**
   * The DNS server port, written out rather than taken from {@code DnsMessage.PORT}: test captures
   * stand for real traffic, so they must not follow a change of connbal's constant.
   */
  public static final int DNS_PORT = 53;

  public static final int TYPE_A = 1;
  public static final int TYPE_CNAME = 5;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_SRV = 33;

  /** TCP flag bits as they appear in byte 13 of the TCP header. */
  public static final int FIN = 0x01;

  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;
  public static final int URG = 0x20;
  public static final int ECE = 0x40;
  public static final int CWR = 0x80;

  /** TTL of records built by the record specs unless {@link Rr#withTtl} says otherwise. */
  public static final long DEFAULT_TTL = 300;

  private Packets() {}

  // ---------------------------------------------------------------- DNS frames

  /** A UDP DNS query from {@code clientIp:clientPort} to {@code serverIp:53}, class IN. */
  public static byte[] dnsQuery(
      String clientIp, int clientPort, String serverIp, int id, String name, int qtype) {
    return udp(clientIp, clientPort, serverIp, DNS_PORT, queryBuilder(id, name, qtype));
  }

  /**
   * A UDP DNS response from {@code serverIp:53} to {@code clientIp:clientPort} answering the
   * question ({@code name}, {@code qtype}, IN) with the given answer records only.
   */
  public static byte[] dnsResponse(
      String clientIp,
      int clientPort,
      String serverIp,
      int id,
      String name,
      int qtype,
      Rr... answers) {
    return dnsResponse(
        clientIp, clientPort, serverIp, id, name, qtype, List.of(answers), List.of(), List.of());
  }

  /**
   * A UDP DNS response from {@code serverIp:53} to {@code clientIp:clientPort} with the given
   * answer, authority and additional sections (in order). RCODE is NOERROR.
   */
  public static byte[] dnsResponse(
      String clientIp,
      int clientPort,
      String serverIp,
      int id,
      String name,
      int qtype,
      List<Rr> answers,
      List<Rr> authorities,
      List<Rr> additionals) {
    return udp(
        serverIp,
        DNS_PORT,
        clientIp,
        clientPort,
        responseBuilder(id, name, qtype, answers, authorities, additionals));
  }

  /** The DNS message (UDP payload) of {@link #dnsQuery}, for decoding without a frame around it. */
  public static byte[] dnsQueryMessage(int id, String name, int qtype) {
    return queryBuilder(id, name, qtype).build().getRawData();
  }

  /**
   * The DNS message (UDP payload) of {@link #dnsResponse(String, int, String, int, String, int,
   * List, List, List)}.
   */
  public static byte[] dnsResponseMessage(
      int id,
      String name,
      int qtype,
      List<Rr> answers,
      List<Rr> authorities,
      List<Rr> additionals) {
    return responseBuilder(id, name, qtype, answers, authorities, additionals).build().getRawData();
  }

  /** The DNS message of a response with answer records only. */
  public static byte[] dnsResponseMessage(int id, String name, int qtype, Rr... answers) {
    return dnsResponseMessage(id, name, qtype, List.of(answers), List.of(), List.of());
  }

  private static DnsPacket.Builder queryBuilder(int id, String name, int qtype) {
    return new DnsPacket.Builder()
        .id((short) id)
        .response(false)
        .opCode(DnsOpCode.QUERY)
        .rCode(DnsRCode.NO_ERROR)
        .recursionDesired(true)
        .qdCount((short) 1)
        .questions(List.of(question(name, qtype)));
  }

  private static DnsPacket.Builder responseBuilder(
      int id,
      String name,
      int qtype,
      List<Rr> answers,
      List<Rr> authorities,
      List<Rr> additionals) {
    return new DnsPacket.Builder()
        .id((short) id)
        .response(true)
        .opCode(DnsOpCode.QUERY)
        .rCode(DnsRCode.NO_ERROR)
        .recursionDesired(true)
        .recursionAvailable(true)
        .qdCount((short) 1)
        .questions(List.of(question(name, qtype)))
        .anCount((short) answers.size())
        .answers(toRecords(answers))
        .nsCount((short) authorities.size())
        .authorities(toRecords(authorities))
        .arCount((short) additionals.size())
        .additionalInfo(toRecords(additionals));
  }

  private static DnsQuestion question(String name, int qtype) {
    return new DnsQuestion.Builder()
        .qName(domainName(name))
        .qType(DnsResourceRecordType.getInstance((short) qtype))
        .qClass(DnsClass.IN)
        .build();
  }

  private static List<DnsResourceRecord> toRecords(List<Rr> specs) {
    List<DnsResourceRecord> records = new ArrayList<>(specs.size());
    for (Rr spec : specs) {
      records.add(spec.toRecord());
    }
    return records;
  }

  /** pcap4j name from presentation form; a trailing dot is optional, "." or "" is the root. */
  static DnsDomainName domainName(String name) {
    String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (trimmed.isEmpty()) {
      return DnsDomainName.ROOT_DOMAIN;
    }
    return new DnsDomainName.Builder().labels(trimmed.split("\\.")).build();
  }

  // ---------------------------------------------------------------- record specs

  /** An A record {@code name -> ip}, class IN. */
  public static Rr a(String name, String ip) {
    return new Rr(
        name,
        TYPE_A,
        DnsClass.IN.value(),
        DEFAULT_TTL,
        () -> new DnsRDataA.Builder().address(inet4(ip)).addressPlainText(false).build());
  }

  /** An SRV record {@code service -> target:port}, priority 10 and weight 10. */
  public static Rr srv(String service, String target, int port) {
    return srv(service, target, port, 10, 10);
  }

  /**
   * An SRV record {@code service -> target:port} of the given priority and weight (0 to 65535).
   * pcap4j 1.8 has no SRV rdata type, so the rdata is laid out here (RFC 2782: priority, weight,
   * port, uncompressed target) and carried as pcap4j's raw rdata.
   */
  public static Rr srv(String service, String target, int port, int priority, int weight) {
    return new Rr(
        service,
        TYPE_SRV,
        DnsClass.IN.value(),
        DEFAULT_TTL,
        () -> {
          byte[] targetBytes = domainName(target).getRawData();
          ByteBuffer rdata = ByteBuffer.allocate(6 + targetBytes.length);
          rdata
              .putShort((short) priority)
              .putShort((short) weight)
              .putShort((short) port)
              .put(targetBytes);
          return new UnknownDnsRData.Builder().rawData(rdata.array()).build();
        });
  }

  /** A CNAME record {@code name -> target}. */
  public static Rr cname(String name, String target) {
    return new Rr(
        name,
        TYPE_CNAME,
        DnsClass.IN.value(),
        DEFAULT_TTL,
        () -> new DnsRDataCName.Builder().cName(domainName(target)).build());
  }

  /** An NS record {@code zone -> nameserver}, as found in authority sections. */
  public static Rr ns(String zone, String nameserver) {
    return new Rr(
        zone,
        2,
        DnsClass.IN.value(),
        DEFAULT_TTL,
        () -> new DnsRDataNs.Builder().nsDName(domainName(nameserver)).build());
  }

  /** An AAAA record {@code name -> ipv6}. */
  public static Rr aaaa(String name, String ipv6) {
    return new Rr(
        name,
        TYPE_AAAA,
        DnsClass.IN.value(),
        DEFAULT_TTL,
        () -> new UnknownDnsRData.Builder().rawData(inet6(ipv6).getAddress()).build());
  }

  /**
   * An EDNS0 OPT pseudo-record (RFC 6891) for the additional section: root owner, class = UDP
   * payload size 1232, TTL 0 (extended RCODE and flags), no options.
   */
  public static Rr opt() {
    return new Rr(
        ".", 41, (short) 1232, 0, () -> new UnknownDnsRData.Builder().rawData(new byte[0]).build());
  }

  /** A record spec: owner name, type, class, TTL and a recipe for its pcap4j rdata. */
  public static final class Rr {
    private final String name;
    private final int type;
    private final short dnsClass;
    private final long ttl;
    private final RDataFactory rdata;

    private Rr(String name, int type, short dnsClass, long ttl, RDataFactory rdata) {
      this.name = name;
      this.type = type;
      this.dnsClass = dnsClass;
      this.ttl = ttl;
      this.rdata = rdata;
    }

    /** The same record with another TTL (seconds, unsigned 32-bit). */
    public Rr withTtl(long newTtl) {
      return new Rr(name, type, dnsClass, newTtl, rdata);
    }

    /** The same record with another class (e.g. 3 = CH). */
    public Rr withClass(int newClass) {
      return new Rr(name, type, (short) newClass, ttl, rdata);
    }

    public String name() {
      return name;
    }

    public int type() {
      return type;
    }

    DnsResourceRecord toRecord() {
      return new DnsResourceRecord.Builder()
          .name(domainName(name))
          .dataType(DnsResourceRecordType.getInstance((short) type))
          .dataClass(DnsClass.getInstance(dnsClass))
          .ttl((int) ttl)
          .rData(rdata.create())
          .correctLengthAtBuild(true)
          .build();
    }
  }

  private interface RDataFactory {
    DnsResourceRecord.DnsRData create();
  }

  // ---------------------------------------------------------------- TCP and UDP frames

  /**
   * A TCP segment with the given flags byte ({@link #SYN} | {@link #ACK} ..., including ECE and
   * CWR) and sequence number (unsigned 32-bit), window 65535, no payload.
   */
  public static byte[] tcp(
      String srcIp, int srcPort, String dstIp, int dstPort, int flags, long seq) {
    return ipFrame(
        srcIp, dstIp, IpNumber.TCP, tcpBuilder(srcIp, srcPort, dstIp, dstPort, flags, seq));
  }

  /** A TCP segment (ACK and PSH set) carrying {@code payload} verbatim, window 65535. */
  public static byte[] tcpData(
      String srcIp, int srcPort, String dstIp, int dstPort, long seq, byte[] payload) {
    return ipFrame(
        srcIp,
        dstIp,
        IpNumber.TCP,
        tcpBuilder(srcIp, srcPort, dstIp, dstPort, ACK | PSH, seq)
            .payloadBuilder(new UnknownPacket.Builder().rawData(payload)));
  }

  /**
   * DNS messages as they travel over TCP (RFC 1035 4.2.2): each behind its 2-byte big-endian
   * length, one after the other.
   */
  public static byte[] tcpDnsStream(byte[]... messages) {
    ByteBuffer stream =
        ByteBuffer.allocate(Arrays.stream(messages).mapToInt(m -> 2 + m.length).sum());
    for (byte[] m : messages) {
      stream.putShort((short) m.length).put(m);
    }
    return stream.array();
  }

  /** A connection attempt: SYN only. */
  public static byte[] syn(String srcIp, int srcPort, String dstIp, int dstPort, long seq) {
    return tcp(srcIp, srcPort, dstIp, dstPort, SYN, seq);
  }

  /**
   * The pcap4j builder behind {@link #tcp}, for tests that adjust it (data offset, options,
   * payload) before wrapping it with {@link #ipv4} and {@link #ethernet}.
   */
  public static TcpPacket.Builder tcpBuilder(
      String srcIp, int srcPort, String dstIp, int dstPort, int flags, long seq) {
    return new TcpPacket.Builder()
        .srcAddr(inet(srcIp))
        .dstAddr(inet(dstIp))
        .srcPort(TcpPort.getInstance((short) srcPort))
        .dstPort(TcpPort.getInstance((short) dstPort))
        .sequenceNumber((int) seq)
        .acknowledgmentNumber((flags & ACK) != 0 ? 1 : 0)
        // pcap4j follows RFC 793's 6 reserved bits; ECE and CWR (RFC 3168) are the low two.
        .reserved((byte) ((flags >>> 6) & 0x3))
        .urg((flags & URG) != 0)
        .ack((flags & ACK) != 0)
        .psh((flags & PSH) != 0)
        .rst((flags & RST) != 0)
        .syn((flags & SYN) != 0)
        .fin((flags & FIN) != 0)
        .window((short) 0xffff)
        .correctLengthAtBuild(true)
        .correctChecksumAtBuild(true);
  }

  /** A UDP datagram carrying {@code payload} verbatim (e.g. a {@link RawDns} message). */
  public static byte[] udpFrame(
      String srcIp, int srcPort, String dstIp, int dstPort, byte[] payload) {
    return udp(srcIp, srcPort, dstIp, dstPort, new UnknownPacket.Builder().rawData(payload));
  }

  private static byte[] udp(
      String srcIp, int srcPort, String dstIp, int dstPort, Packet.Builder payload) {
    return ipFrame(
        srcIp,
        dstIp,
        IpNumber.UDP,
        udpBuilder(srcIp, srcPort, dstIp, dstPort).payloadBuilder(payload));
  }

  /**
   * An Ethernet frame of an IPv4 packet ({@link #ipv4}) or, when the addresses are IPv6 ones, of an
   * IPv6 packet without extension headers ({@link #ipv6}).
   */
  private static byte[] ipFrame(
      String srcIp, String dstIp, IpNumber protocol, Packet.Builder payload) {
    return srcIp.contains(":")
        ? ethernet(EtherType.IPV6, ipv6(srcIp, dstIp, protocol, payload))
        : ethernet(ipv4(srcIp, dstIp, protocol, payload));
  }

  /** An IPv6 builder (hop limit 64, correct payload length) around {@code payload}. */
  public static IpV6Packet.Builder ipv6(
      String srcIp, String dstIp, IpNumber nextHeader, Packet.Builder payload) {
    return new IpV6Packet.Builder()
        .version(IpVersion.IPV6)
        .trafficClass(IpV6SimpleTrafficClass.newInstance((byte) 0))
        .flowLabel(IpV6SimpleFlowLabel.newInstance(0))
        .nextHeader(nextHeader)
        .hopLimit((byte) 64)
        .srcAddr(inet6(srcIp))
        .dstAddr(inet6(dstIp))
        .payloadBuilder(payload)
        .correctLengthAtBuild(true);
  }

  /**
   * An Ethernet frame of an IPv6 packet whose first next header is {@code nextHeader} and whose
   * payload, extension headers and all, is {@code payload} verbatim.
   */
  public static byte[] ipv6Frame(String srcIp, String dstIp, int nextHeader, byte[] payload) {
    return ethernet(
        EtherType.IPV6,
        ipv6(
            srcIp,
            dstIp,
            IpNumber.getInstance((byte) nextHeader),
            new UnknownPacket.Builder().rawData(payload)));
  }

  /**
   * An IPv6 extension header of the hop-by-hop, routing or destination options layout (RFC 8200
   * 4.3): next header, length in 8-octet units not counting the first, then padding (PadN) to
   * {@code 8 * (units + 1)} bytes.
   */
  public static byte[] extensionHeader(int nextHeader, int units) {
    byte[] h = new byte[8 * (units + 1)];
    h[0] = (byte) nextHeader;
    h[1] = (byte) units;
    h[2] = 1; // PadN
    h[3] = (byte) (h.length - 4);
    return h;
  }

  /**
   * An IPv6 fragment header (RFC 8200 4.5): next header, reserved, offset in 8-octet units with the
   * M flag, identification.
   */
  public static byte[] fragmentHeader(int nextHeader, int offsetUnits, boolean more) {
    return ByteBuffer.allocate(8)
        .put((byte) nextHeader)
        .put((byte) 0)
        .putShort((short) ((offsetUnits << 3) | (more ? 1 : 0)))
        .putInt(0x12345678)
        .array();
  }

  /** The bytes of a transport header and payload built by pcap4j ({@link #tcpBuilder}, ...). */
  public static byte[] bytes(Packet.Builder transport) {
    return transport.build().getRawData();
  }

  /** {@code parts} one after the other. */
  public static byte[] concat(byte[]... parts) {
    ByteBuffer all = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      all.put(p);
    }
    return all.array();
  }

  /** A UDP builder with correct length and checksum, for tests that adjust it. */
  public static UdpPacket.Builder udpBuilder(String srcIp, int srcPort, String dstIp, int dstPort) {
    return new UdpPacket.Builder()
        .srcAddr(inet(srcIp))
        .dstAddr(inet(dstIp))
        .srcPort(UdpPort.getInstance((short) srcPort))
        .dstPort(UdpPort.getInstance((short) dstPort))
        .correctLengthAtBuild(true)
        .correctChecksumAtBuild(true);
  }

  /**
   * An IPv4 builder (TTL 64, DF, correct lengths and checksum) around {@code payload}; tests adjust
   * it for options, fragments or broken headers.
   */
  public static IpV4Packet.Builder ipv4(
      String srcIp, String dstIp, IpNumber protocol, Packet.Builder payload) {
    return new IpV4Packet.Builder()
        .version(IpVersion.IPV4)
        .tos(IpV4Rfc791Tos.newInstance((byte) 0))
        .identification((short) 1)
        .dontFragmentFlag(true)
        .ttl((byte) 64)
        .protocol(protocol)
        .srcAddr(inet4(srcIp))
        .dstAddr(inet4(dstIp))
        .payloadBuilder(payload)
        .correctLengthAtBuild(true)
        .correctChecksumAtBuild(true)
        .paddingAtBuild(true);
  }

  /**
   * An untagged Ethernet II frame around an IPv4 packet. Frames shorter than the Ethernet minimum
   * are padded to 60 bytes, as on the wire: decoders must trust IP lengths, not the frame length.
   */
  public static byte[] ethernet(IpV4Packet.Builder ipv4) {
    return ethernet(EtherType.IPV4, ipv4);
  }

  private static byte[] ethernet(EtherType type, Packet.Builder payload) {
    return new EthernetPacket.Builder()
        .dstAddr(SERVER_MAC)
        .srcAddr(CLIENT_MAC)
        .type(type)
        .payloadBuilder(payload)
        .paddingAtBuild(true)
        .build()
        .getRawData();
  }

  // ---------------------------------------------------------------- other frames

  /** An ARP request: who has {@code targetIp}, tell {@code senderIp}. */
  public static byte[] arpRequest(String senderIp, String targetIp) {
    return ethernet(
        EtherType.ARP,
        new ArpPacket.Builder()
            .hardwareType(ArpHardwareType.ETHERNET)
            .protocolType(EtherType.IPV4)
            .hardwareAddrLength((byte) MacAddress.SIZE_IN_BYTES)
            .protocolAddrLength((byte) 4)
            .operation(ArpOperation.REQUEST)
            .srcHardwareAddr(CLIENT_MAC)
            .srcProtocolAddr(inet4(senderIp))
            .dstHardwareAddr(MacAddress.ETHER_BROADCAST_ADDRESS)
            .dstProtocolAddr(inet4(targetIp)));
  }

  /** An IPv6 UDP datagram (e.g. a DNS query over IPv6, which connbal skips until it reads IPv6). */
  public static byte[] ipv6Udp(
      String srcIp, int srcPort, String dstIp, int dstPort, byte[] payload) {
    Inet6Address src = inet6(srcIp);
    Inet6Address dst = inet6(dstIp);
    UdpPacket.Builder udp =
        new UdpPacket.Builder()
            .srcAddr(src)
            .dstAddr(dst)
            .srcPort(UdpPort.getInstance((short) srcPort))
            .dstPort(UdpPort.getInstance((short) dstPort))
            .payloadBuilder(new UnknownPacket.Builder().rawData(payload))
            .correctLengthAtBuild(true)
            .correctChecksumAtBuild(true);
    return ethernet(
        EtherType.IPV6,
        new IpV6Packet.Builder()
            .version(IpVersion.IPV6)
            .trafficClass(IpV6SimpleTrafficClass.newInstance((byte) 0))
            .flowLabel(IpV6SimpleFlowLabel.newInstance(0))
            .nextHeader(IpNumber.UDP)
            .hopLimit((byte) 64)
            .srcAddr(src)
            .dstAddr(dst)
            .payloadBuilder(udp)
            .correctLengthAtBuild(true));
  }

  /**
   * {@code frame} with a VLAN tag ({@code tpid}, VLAN id {@code vid}) inserted after the MAC
   * addresses, i.e. as the outermost tag: {@code vlan(vlan(f, 0x8100, 10), 0x88a8, 20)} is an
   * 802.1ad service tag 20 around customer tag 10.
   */
  public static byte[] vlan(byte[] frame, int tpid, int vid) {
    if (frame.length < 14) {
      throw new IllegalArgumentException("not an Ethernet frame: " + frame.length + " bytes");
    }
    short innerType = (short) (((frame[12] & 0xff) << 8) | (frame[13] & 0xff));
    byte[] inner = Arrays.copyOfRange(frame, 14, frame.length);
    return new EthernetPacket.Builder()
        .dstAddr(MacAddress.getByAddress(Arrays.copyOfRange(frame, 0, 6)))
        .srcAddr(MacAddress.getByAddress(Arrays.copyOfRange(frame, 6, 12)))
        .type(EtherType.getInstance((short) tpid))
        .payloadBuilder(
            new Dot1qVlanTagPacket.Builder()
                .priority((byte) 0)
                .cfi(false)
                .vid((short) vid)
                .type(EtherType.getInstance(innerType))
                .payloadBuilder(new UnknownPacket.Builder().rawData(inner)))
        .pad(new byte[0])
        .paddingAtBuild(false)
        .build()
        .getRawData();
  }

  // ---------------------------------------------------------------- addresses

  /** An IPv4 address as the analysis holds it. */
  public static IpAddress ip(String dottedQuad) {
    return IpAddress.ofV4(v4(dottedQuad));
  }

  /** An IPv4 address as an int: network order, first octet in the high byte. */
  public static int v4(String dottedQuad) {
    return ByteBuffer.wrap(inet4(dottedQuad).getAddress()).getInt();
  }

  /** A literal IPv4 address (never resolved). */
  // Kept lenient as it was (split drops a trailing "."); callers pass literal addresses.
  @SuppressWarnings("StringSplitter")
  public static Inet4Address inet4(String dottedQuad) {
    String[] parts = dottedQuad.split("\\.");
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a dotted quad: " + dottedQuad);
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(parts[i]);
      if (octet < 0 || octet > 255) {
        throw new IllegalArgumentException("not a dotted quad: " + dottedQuad);
      }
      bytes[i] = (byte) octet;
    }
    return (Inet4Address) byAddress(bytes);
  }

  /** A literal IPv4 or IPv6 address (never resolved): IPv6 when it contains ':'. */
  public static InetAddress inet(String literal) {
    return literal.contains(":") ? inet6(literal) : inet4(literal);
  }

  /**
   * A literal IPv6 address (never resolved); an IPv4-mapped one ({@code ::ffff:a.b.c.d}) stays an
   * IPv6 address, as it would be on the wire.
   */
  public static Inet6Address inet6(String literal) {
    if (!literal.contains(":")) {
      throw new IllegalArgumentException("not an IPv6 literal: " + literal);
    }
    try {
      // A literal containing ':' is parsed, never looked up.
      InetAddress parsed = InetAddress.getByName(literal);
      if (parsed instanceof Inet6Address v6) {
        return v6;
      }
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
      return Inet6Address.getByAddress(null, mapped, -1);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 literal: " + literal, e);
    }
  }

  private static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
