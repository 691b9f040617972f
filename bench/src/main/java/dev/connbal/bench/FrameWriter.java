package dev.connbal.bench;

import dev.connbal.snoop.SnoopWriter;
import java.io.Closeable;
import java.io.IOException;

/**
 * Hand-assembles Ethernet frames (optionally 802.1Q-tagged) carrying IPv4/TCP, IPv4/UDP, ARP or
 * IPv6/UDP, and appends each to a snoop file at the given time.
 *
 * <p>Built for speed: every frame is written into a buffer reused for all frames of the same length
 * (the snoop writer takes the whole array as the frame), header fields are stored by index, and
 * nothing is allocated per packet. Lengths are exact and every checksum is computed: IPv4 header,
 * TCP and UDP (over the IPv4 or IPv6 pseudo-header), so tools such as tshark see a clean capture.
 * Frames shorter than the Ethernet minimum are zero-padded beyond the IP total length, as a
 * capturing NIC delivers them.
 *
 * <p>MAC addresses are derived from the IP address (02:00 and the four IPv4 octets), as if every
 * host shared one segment with the capture point.
 */
final class FrameWriter implements Closeable {
  static final int TCP_FIN = 0x01;
  static final int TCP_SYN = 0x02;
  static final int TCP_RST = 0x04;
  static final int TCP_PSH = 0x08;
  static final int TCP_ACK = 0x10;
  static final int TCP_ECE = 0x40;
  static final int TCP_CWR = 0x80;

  /** Largest TCP payload of a full segment (Ethernet MTU 1500 minus IPv4 and TCP headers). */
  static final int MSS = 1460;

  static final int NO_VLAN = -1;

  private static final int ETHERNET_HEADER = 14;
  private static final int VLAN_TAG = 4;
  private static final int ETHERNET_MIN_FRAME = 60;
  private static final int IPV4_HEADER = 20;
  private static final int IPV6_HEADER = 40;
  private static final int TCP_HEADER = 20;

  /** SYN and SYN+ACK carry MSS, SACK-permitted and window-scale options, padded with NOPs. */
  private static final byte[] SYN_OPTIONS = {
    2, 4, (byte) (MSS >>> 8), (byte) MSS, 4, 2, 1, 3, 3, 7, 1, 1
  };

  private static final int UDP_HEADER = 8;
  private static final int ARP_LENGTH = 28;
  private static final int MAX_FRAME = ETHERNET_HEADER + VLAN_TAG + 1500;

  private final SnoopWriter snoop;
  private final byte[][] buffersByLength = new byte[MAX_FRAME + 1][];
  private final byte[] fill;
  private long packets;
  private long notIpFrames;
  private long ipv6Frames;
  private long udpDatagrams;
  private int ipId;

  /**
   * @param fill bytes that new buffers start with; what a frame does not overwrite (the bulk of a
   *     TCP payload) keeps them, so payloads look like data without being generated per packet
   */
  FrameWriter(SnoopWriter snoop, byte[] fill) {
    if (fill.length < MAX_FRAME) {
      throw new IllegalArgumentException("fill must hold at least " + MAX_FRAME + " bytes");
    }
    this.snoop = snoop;
    this.fill = fill;
  }

  /** Snoop bytes written so far, file header included. */
  long bytesWritten() {
    return snoop.bytesWritten();
  }

  /** Records written so far. */
  long packets() {
    return packets;
  }

  /** IPv4 UDP datagrams written so far (every one of them DNS, in the generated traffic). */
  long udpDatagrams() {
    return udpDatagrams;
  }

  /** Records written so far whose frame is not IP (ARP). */
  long notIpFrames() {
    return notIpFrames;
  }

  /** Records written so far whose frame is IPv6. */
  long ipv6Frames() {
    return ipv6Frames;
  }

  /**
   * A TCP segment of {@code payloadLength} bytes; SYN segments carry the usual options.
   *
   * @param micros capture time in microseconds since the epoch
   */
  void tcp(
      long micros,
      int vlan,
      int srcIp,
      int srcPort,
      int dstIp,
      int dstPort,
      long seq,
      long ack,
      int flags,
      int payloadLength)
      throws IOException {
    boolean options = (flags & TCP_SYN) != 0;
    int tcpHeader = TCP_HEADER + (options ? SYN_OPTIONS.length : 0);
    int l2 = l2Length(vlan);
    int ipTotal = IPV4_HEADER + tcpHeader + payloadLength;
    byte[] f = frame(l2 + ipTotal, l2);
    ethernet(f, vlan, dstIp, srcIp, 0x0800);
    ipv4(f, l2, ipTotal, 6, srcIp, dstIp);
    int t = l2 + IPV4_HEADER;
    put16(f, t, srcPort);
    put16(f, t + 2, dstPort);
    put32(f, t + 4, (int) seq);
    put32(f, t + 8, (flags & TCP_ACK) != 0 ? (int) ack : 0);
    f[t + 12] = (byte) ((tcpHeader / 4) << 4);
    f[t + 13] = (byte) flags;
    put16(f, t + 14, options ? 64240 : 502);
    put16(f, t + 16, 0);
    put16(f, t + 18, 0);
    if (options) {
      System.arraycopy(SYN_OPTIONS, 0, f, t + TCP_HEADER, SYN_OPTIONS.length);
    }
    int segment = tcpHeader + payloadLength;
    long sum = ipv4PseudoHeader(srcIp, dstIp, 6, segment);
    put16(f, t + 16, InternetChecksum.finish(InternetChecksum.sum(sum, f, t, t + segment)));
    write(micros, f);
  }

  /** A UDP datagram over IPv4 carrying {@code payload[0, length)}. */
  void udp(
      long micros,
      int vlan,
      int srcIp,
      int srcPort,
      int dstIp,
      int dstPort,
      byte[] payload,
      int length)
      throws IOException {
    int l2 = l2Length(vlan);
    int ipTotal = IPV4_HEADER + UDP_HEADER + length;
    byte[] f = frame(l2 + ipTotal, l2);
    ethernet(f, vlan, dstIp, srcIp, 0x0800);
    ipv4(f, l2, ipTotal, 17, srcIp, dstIp);
    int u = l2 + IPV4_HEADER;
    int udpLength = UDP_HEADER + length;
    udpHeader(f, u, srcPort, dstPort, udpLength, payload, length);
    long sum = ipv4PseudoHeader(srcIp, dstIp, 17, udpLength);
    put16(f, u + 6, udpChecksum(InternetChecksum.sum(sum, f, u, u + udpLength)));
    write(micros, f);
    udpDatagrams++;
  }

  /**
   * A UDP datagram over IPv6 between fd00::{@code srcHost} and fd00::{@code dstHost}: the IPv6
   * noise that connbal must skip, not decode.
   */
  void ipv6Udp(
      long micros,
      int vlan,
      int srcHost,
      int srcPort,
      int dstHost,
      int dstPort,
      byte[] payload,
      int length)
      throws IOException {
    int l2 = l2Length(vlan);
    int udpLength = UDP_HEADER + length;
    byte[] f = frame(l2 + IPV6_HEADER + udpLength, l2);
    ethernet(f, vlan, dstHost, srcHost, 0x86dd);
    int ip = l2;
    put32(f, ip, 0x6000_0000);
    put16(f, ip + 4, udpLength);
    f[ip + 6] = 17;
    f[ip + 7] = 64;
    ipv6Address(f, ip + 8, srcHost);
    ipv6Address(f, ip + 24, dstHost);
    int u = ip + IPV6_HEADER;
    udpHeader(f, u, srcPort, dstPort, udpLength, payload, length);
    long sum = InternetChecksum.sum(0, f, ip + 8, ip + 40);
    sum = InternetChecksum.sum32(sum, udpLength);
    sum += 17;
    put16(f, u + 6, udpChecksum(InternetChecksum.sum(sum, f, u, u + udpLength)));
    write(micros, f);
    ipv6Frames++;
  }

  /** An ARP request: who has {@code targetIp}? tell {@code senderIp}. Broadcast. */
  void arpRequest(long micros, int vlan, int senderIp, int targetIp) throws IOException {
    int l2 = l2Length(vlan);
    byte[] f = frame(l2 + ARP_LENGTH, l2);
    ethernet(f, vlan, 0, senderIp, 0x0806);
    for (int i = 0; i < 6; i++) {
      f[i] = (byte) 0xff;
    }
    int a = l2;
    put16(f, a, 1);
    put16(f, a + 2, 0x0800);
    f[a + 4] = 6;
    f[a + 5] = 4;
    put16(f, a + 6, 1);
    mac(f, a + 8, senderIp);
    put32(f, a + 14, senderIp);
    for (int i = 0; i < 6; i++) {
      f[a + 18 + i] = 0;
    }
    put32(f, a + 24, targetIp);
    write(micros, f);
    notIpFrames++;
  }

  @Override
  public void close() throws IOException {
    snoop.close();
  }

  private static int l2Length(int vlan) {
    return vlan == NO_VLAN ? ETHERNET_HEADER : ETHERNET_HEADER + VLAN_TAG;
  }

  /**
   * The reusable buffer for a frame whose headers and payload take {@code contentLength} bytes
   * after an L2 header of {@code l2} bytes, padded to the Ethernet minimum (plus the tag) with
   * zeros.
   */
  private byte[] frame(int contentLength, int l2) {
    int minimum = ETHERNET_MIN_FRAME + (l2 - ETHERNET_HEADER);
    int length = Math.max(contentLength, minimum);
    if (length > MAX_FRAME) {
      throw new IllegalArgumentException("frame of " + length + " bytes exceeds " + MAX_FRAME);
    }
    byte[] f = buffersByLength[length];
    if (f == null) {
      f = new byte[length];
      System.arraycopy(fill, 0, f, 0, length);
      buffersByLength[length] = f;
    }
    for (int i = contentLength; i < length; i++) {
      f[i] = 0;
    }
    return f;
  }

  private static void ethernet(byte[] f, int vlan, int dstIp, int srcIp, int etherType) {
    mac(f, 0, dstIp);
    mac(f, 6, srcIp);
    if (vlan == NO_VLAN) {
      put16(f, 12, etherType);
    } else {
      put16(f, 12, 0x8100);
      put16(f, 14, vlan);
      put16(f, 16, etherType);
    }
  }

  private static void mac(byte[] f, int at, int ip) {
    f[at] = 0x02;
    f[at + 1] = 0;
    put32(f, at + 2, ip);
  }

  private void ipv4(byte[] f, int ip, int totalLength, int protocol, int srcIp, int dstIp) {
    f[ip] = 0x45;
    f[ip + 1] = 0;
    put16(f, ip + 2, totalLength);
    put16(f, ip + 4, ipId++ & 0xffff);
    put16(f, ip + 6, protocol == 6 ? 0x4000 : 0);
    f[ip + 8] = 64;
    f[ip + 9] = (byte) protocol;
    put16(f, ip + 10, 0);
    put32(f, ip + 12, srcIp);
    put32(f, ip + 16, dstIp);
    put16(f, ip + 10, InternetChecksum.finish(InternetChecksum.sum(0, f, ip, ip + IPV4_HEADER)));
  }

  private static long ipv4PseudoHeader(int srcIp, int dstIp, int protocol, int length) {
    long sum = InternetChecksum.sum32(0, srcIp);
    sum = InternetChecksum.sum32(sum, dstIp);
    return sum + protocol + length;
  }

  private static void udpHeader(
      byte[] f, int u, int srcPort, int dstPort, int udpLength, byte[] payload, int length) {
    put16(f, u, srcPort);
    put16(f, u + 2, dstPort);
    put16(f, u + 4, udpLength);
    put16(f, u + 6, 0);
    System.arraycopy(payload, 0, f, u + UDP_HEADER, length);
  }

  /** A computed UDP checksum of zero is sent as 0xffff (zero means "no checksum"). */
  private static int udpChecksum(long sum) {
    int checksum = InternetChecksum.finish(sum);
    return checksum == 0 ? 0xffff : checksum;
  }

  private static void ipv6Address(byte[] f, int at, int host) {
    put16(f, at, 0xfd00);
    for (int i = 2; i < 12; i++) {
      f[at + i] = 0;
    }
    put32(f, at + 12, host);
  }

  private void write(long micros, byte[] frame) throws IOException {
    snoop.write(micros / 1_000_000L, (int) (micros % 1_000_000L), frame);
    packets++;
  }

  static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  static void put32(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
