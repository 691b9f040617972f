package dev.connbal.transforms.decode;

import dev.connbal.snoop.BigEndian;
import dev.connbal.snoop.LinkTypes;
import dev.connbal.snoop.SnoopRecordView;
import dev.connbal.transforms.keys.IpAddress;

/**
 * Decodes captured frames down to the events connbal needs: TCP segments (with their payload when
 * they carry DNS) and UDP DNS datagrams over IPv4 and IPv6. The link header, chosen by the record's
 * link type in the tcpdump.org registry's numbering ({@link LinkTypes}), leads to an ethertype or
 * an address family, and that to IP:
 *
 * <pre>
 * Ethernet (1)            | dst (6) | src (6) | [TPID (2) TCI (2)]* | type (2) | IP
 * Linux cooked v1 (113)   | packet type (2) | ARPHRD (2) | addr len (2) | addr (8)
 *                         | [TPID (2) TCI (2)]* | protocol (2) | IP
 * Linux cooked v2 (276)   | protocol (2) | reserved (2) | ifindex (4) | ARPHRD (2)
 *                         | packet type (1) | addr len (1) | addr (8) | IP
 * raw IP (101, 228, 229)  | IP (101: the version nibble decides)
 * BSD loopback NULL (0)   | family (4, the capturing host's byte order) | IP
 * OpenBSD LOOP (108)      | family (4, big-endian) | IP
 * </pre>
 *
 * <p>IPv6 extension headers are walked to the transport header (RFC 8200 4):
 *
 * <pre>
 * hop-by-hop (0), routing (43),      | next (1) | length in 8 octets, not counting the first (1) | ...
 * destination options (60)
 * fragment (44)                      | next (1) | reserved (1) | offset (13 bits) res (2) M (1) | id (4)
 * AH (51)                            | next (1) | length in 4 octets, minus 2 (1) | ...
 * </pre>
 *
 * <p>A non-first fragment is skipped and counted as IPv4's are; ESP (50) and No Next Header (59)
 * hide the transport header and are counted as such. An IPv6 header with an IPv4-mapped address
 * ({@code ::ffff:a.b.c.d}, which must not appear on the wire, RFC 4942 2.1.1) is malformed: connbal
 * holds IPv4 addresses in that form ({@link IpAddress}), so it would otherwise pass for IPv4.
 *
 * <p>Every field is read by direct array indexing after a bounds check against what the headers
 * themselves claim, so hostile or truncated frames are counted in {@link DecodeStats} by reason,
 * never thrown. Nothing is allocated per frame: this runs once per captured packet.
 */
public final class FrameDecoder {
  private static final int ETHERNET_TYPE_AT = 12;
  private static final int SLL_PROTOCOL_AT = 14;
  private static final int SLL2_HEADER = 20;
  private static final int LOOPBACK_HEADER = 4;

  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86dd;
  private static final int TPID_8021Q = 0x8100;
  private static final int TPID_8021AD = 0x88a8;
  private static final int TPID_QINQ_LEGACY = 0x9100;
  private static final int VLAN_TAG = 4;

  /** AF_INET, the same on every system that writes loopback captures. */
  private static final int AF_INET = 2;

  /** AF_INET6 of NetBSD and OpenBSD. */
  private static final int AF_INET6_BSD = 24;

  /** AF_INET6 of FreeBSD and DragonFly. */
  private static final int AF_INET6_FREEBSD = 28;

  /** AF_INET6 of Darwin. */
  private static final int AF_INET6_DARWIN = 30;

  private static final int IPV4_MIN_HEADER = 20;
  private static final int IPV6_HEADER = 40;
  private static final int IP_PROTO_TCP = 6;
  private static final int IP_PROTO_UDP = 17;
  private static final int IP_PROTO_ESP = 50;
  private static final int IPV6_HOP_BY_HOP = 0;
  private static final int IPV6_ROUTING = 43;
  private static final int IPV6_FRAGMENT = 44;
  private static final int IPV6_AH = 51;
  private static final int IPV6_NO_NEXT_HEADER = 59;
  private static final int IPV6_DESTINATION_OPTIONS = 60;
  private static final int IPV6_EXTENSION_MIN = 8;
  private static final int IPV6_FRAGMENT_OFFSET = 0xfff8;
  private static final int IPV6_MORE_FRAGMENTS = 0x0001;
  private static final int IP_MORE_FRAGMENTS = 0x2000;
  private static final int IP_FRAGMENT_OFFSET = 0x1fff;

  private static final int TCP_MIN_HEADER = 20;
  private static final int UDP_HEADER = 8;

  private FrameDecoder() {}

  /**
   * Decodes a frame of link type {@code linkType} ({@link LinkTypes}) that was captured whole.
   * Calls at most one visitor method; never throws; allocation-free for frames that are neither DNS
   * nor TCP (and for those, as long as the visitor is).
   */
  public static void decode(byte[] frame, int linkType, FrameVisitor visitor, DecodeStats stats) {
    decode(frame, frame.length, linkType, visitor, stats);
  }

  /**
   * Decodes a frame of which the capture kept the first {@code frame.length} of {@code
   * originalLength} bytes (a snap length). A cut frame whose IPv4 total length fits the original
   * length but not the captured bytes is decoded as far as it was captured: captures taken with a
   * snap length (for example {@code snoop -s 128}) still show every TCP header. A DNS message cut
   * this way is incomplete and counts as a malformed frame, as does a total length that exceeds
   * even the original length.
   */
  public static void decode(
      byte[] frame, int originalLength, int linkType, FrameVisitor visitor, DecodeStats stats) {
    decode(frame, 0, frame.length, originalLength, linkType, visitor, stats);
  }

  /** Decodes a record's frame in place in the reader's buffer (see {@link SnoopRecordView}). */
  public static void decode(SnoopRecordView record, FrameVisitor visitor, DecodeStats stats) {
    decode(
        record.buffer(),
        record.frameOffset(),
        record.includedLength(),
        record.originalLength(),
        record.linkType(),
        visitor,
        stats);
  }

  /**
   * Decodes the frame held in {@code buffer[offset .. offset + length)}, of which the capture kept
   * {@code length} of {@code originalLength} bytes: a frame read in place from a capture buffer.
   * The offsets the visitor receives are indexes into {@code buffer}.
   */
  public static void decode(
      byte[] buffer,
      int offset,
      int length,
      int originalLength,
      int linkType,
      FrameVisitor visitor,
      DecodeStats stats) {
    stats.frames++;
    int end = offset + length;
    int originalEnd = offset + Math.max(length, originalLength);
    switch (linkType) {
      case LinkTypes.ETHERNET ->
          tagged(buffer, offset + ETHERNET_TYPE_AT, end, originalEnd, visitor, stats);
      case LinkTypes.LINUX_SLL ->
          tagged(buffer, offset + SLL_PROTOCOL_AT, end, originalEnd, visitor, stats);
      case LinkTypes.LINUX_SLL2 -> cookedV2(buffer, offset, end, originalEnd, visitor, stats);
      case LinkTypes.RAW -> rawIp(buffer, offset, end, originalEnd, visitor, stats);
      case LinkTypes.IPV4 -> decodeIpv4(buffer, offset, end, originalEnd, visitor, stats);
      case LinkTypes.IPV6 -> decodeIpv6(buffer, offset, end, originalEnd, visitor, stats);
      case LinkTypes.NULL -> loopback(buffer, offset, end, originalEnd, false, visitor, stats);
      case LinkTypes.LOOP -> loopback(buffer, offset, end, originalEnd, true, visitor, stats);
      default -> stats.unsupportedLinkType++;
    }
  }

  /**
   * The ethertype at {@code typeAt} and any stacked tags after it, then the network layer. Each tag
   * is a 2-byte TPID (read as the ethertype) and a 2-byte TCI before the next ethertype: every
   * iteration consumes 4 bytes, so the loop is bounded.
   */
  private static void tagged(
      byte[] buffer,
      int typeAt,
      int end,
      int originalEnd,
      FrameVisitor visitor,
      DecodeStats stats) {
    if (typeAt + 2 > end) {
      stats.malformedFrames++;
      return;
    }
    int etherType = BigEndian.u16(buffer, typeAt);
    while (etherType == TPID_8021Q || etherType == TPID_8021AD || etherType == TPID_QINQ_LEGACY) {
      typeAt += VLAN_TAG;
      if (typeAt + 2 > end) {
        stats.malformedFrames++;
        return;
      }
      etherType = BigEndian.u16(buffer, typeAt);
    }
    network(buffer, etherType, typeAt + 2, end, originalEnd, visitor, stats);
  }

  private static void cookedV2(
      byte[] buffer,
      int offset,
      int end,
      int originalEnd,
      FrameVisitor visitor,
      DecodeStats stats) {
    if (end - offset < SLL2_HEADER) {
      stats.malformedFrames++;
      return;
    }
    int protocol = BigEndian.u16(buffer, offset);
    network(buffer, protocol, offset + SLL2_HEADER, end, originalEnd, visitor, stats);
  }

  private static void network(
      byte[] buffer,
      int etherType,
      int ip,
      int end,
      int originalEnd,
      FrameVisitor visitor,
      DecodeStats stats) {
    switch (etherType) {
      case ETHERTYPE_IPV4 -> decodeIpv4(buffer, ip, end, originalEnd, visitor, stats);
      case ETHERTYPE_IPV6 -> decodeIpv6(buffer, ip, end, originalEnd, visitor, stats);
      default -> stats.notIp++;
    }
  }

  private static void rawIp(
      byte[] buffer, int ip, int end, int originalEnd, FrameVisitor visitor, DecodeStats stats) {
    if (end - ip < 1) {
      stats.malformedFrames++;
      return;
    }
    switch ((buffer[ip] & 0xf0) >>> 4) {
      case 4 -> decodeIpv4(buffer, ip, end, originalEnd, visitor, stats);
      case 6 -> decodeIpv6(buffer, ip, end, originalEnd, visitor, stats);
      default -> stats.malformedFrames++;
    }
  }

  /**
   * BSD loopback: a 4-byte address family, then the packet. NULL writes the family in the capturing
   * host's byte order, which the file does not record; a family is below 65536, so one whose high
   * half is set was written little-endian. LOOP writes it big-endian.
   */
  private static void loopback(
      byte[] buffer,
      int offset,
      int end,
      int originalEnd,
      boolean bigEndianOnly,
      FrameVisitor visitor,
      DecodeStats stats) {
    if (end - offset < LOOPBACK_HEADER) {
      stats.malformedFrames++;
      return;
    }
    int family = BigEndian.i32(buffer, offset);
    if (!bigEndianOnly && (family & 0xffff0000) != 0) {
      family = Integer.reverseBytes(family);
    }
    int ip = offset + LOOPBACK_HEADER;
    switch (family) {
      case AF_INET -> decodeIpv4(buffer, ip, end, originalEnd, visitor, stats);
      case AF_INET6_BSD, AF_INET6_FREEBSD, AF_INET6_DARWIN ->
          decodeIpv6(buffer, ip, end, originalEnd, visitor, stats);
      default -> stats.notIp++;
    }
  }

  private static void decodeIpv4(
      byte[] frame, int ip, int end, int originalEnd, FrameVisitor visitor, DecodeStats stats) {
    if (end - ip < IPV4_MIN_HEADER) {
      stats.malformedFrames++;
      return;
    }
    int versionIhl = frame[ip] & 0xff;
    int headerLength = (versionIhl & 0x0f) * 4;
    int totalLength = BigEndian.u16(frame, ip + 2);
    if ((versionIhl >>> 4) != 4
        || headerLength < IPV4_MIN_HEADER
        || totalLength < headerLength
        || totalLength > originalEnd - ip) {
      stats.malformedFrames++;
      return;
    }
    int fragment = BigEndian.u16(frame, ip + 6);
    int protocol = frame[ip + 9] & 0xff;
    if ((fragment & IP_FRAGMENT_OFFSET) != 0) {
      stats.fragments++;
      return;
    }
    long srcLow = IpAddress.v4Low(BigEndian.i32(frame, ip + 12));
    long dstLow = IpAddress.v4Low(BigEndian.i32(frame, ip + 16));
    int transport = ip + headerLength;
    // Trailing Ethernet padding lies beyond the IP total length: never part of the payload; bytes
    // the snap length cut off were never captured.
    int transportEnd = Math.min(ip + totalLength, end);
    if (protocol == IP_PROTO_TCP) {
      decodeTcp(
          frame, transport, transportEnd, ip + totalLength, 0, srcLow, 0, dstLow, visitor, stats);
    } else if (protocol == IP_PROTO_UDP) {
      if ((fragment & IP_MORE_FRAGMENTS) != 0) {
        stats.fragments++;
        return;
      }
      decodeUdp(frame, transport, transportEnd, 0, srcLow, 0, dstLow, visitor, stats);
    } else if (protocol == IP_PROTO_ESP) {
      stats.noTransportHeader++;
    }
  }

  /**
   * An IPv6 packet: the fixed header, then extension headers to the transport header. Each
   * extension header is at least 8 bytes and is length-checked before it is read, so the walk ends
   * within the captured bytes. As for IPv4, a packet cut by a snap length is decoded as far as it
   * was captured, and its payload length must fit the original length.
   */
  private static void decodeIpv6(
      byte[] frame, int ip, int end, int originalEnd, FrameVisitor visitor, DecodeStats stats) {
    if (end - ip < IPV6_HEADER || (frame[ip] & 0xf0) != 0x60) {
      stats.malformedFrames++;
      return;
    }
    int declaredEnd = ip + IPV6_HEADER + BigEndian.u16(frame, ip + 4);
    long srcHigh = IpAddress.longAt(frame, ip + 8);
    long srcLow = IpAddress.longAt(frame, ip + 16);
    long dstHigh = IpAddress.longAt(frame, ip + 24);
    long dstLow = IpAddress.longAt(frame, ip + 32);
    if (declaredEnd > originalEnd
        || IpAddress.isV4(srcHigh, srcLow)
        || IpAddress.isV4(dstHigh, dstLow)) {
      stats.malformedFrames++;
      return;
    }
    int capturedEnd = Math.min(declaredEnd, end);
    int next = frame[ip + 6] & 0xff;
    int at = ip + IPV6_HEADER;
    boolean moreFragments = false;
    while (true) {
      switch (next) {
        case IP_PROTO_TCP -> {
          decodeTcp(
              frame,
              at,
              capturedEnd,
              declaredEnd,
              srcHigh,
              srcLow,
              dstHigh,
              dstLow,
              visitor,
              stats);
          return;
        }
        case IP_PROTO_UDP -> {
          if (moreFragments) {
            stats.fragments++;
            return;
          }
          decodeUdp(frame, at, capturedEnd, srcHigh, srcLow, dstHigh, dstLow, visitor, stats);
          return;
        }
        case IPV6_HOP_BY_HOP, IPV6_ROUTING, IPV6_DESTINATION_OPTIONS, IPV6_FRAGMENT, IPV6_AH -> {
          if (capturedEnd - at < IPV6_EXTENSION_MIN) {
            stats.malformedFrames++; // Truncated extension header.
            return;
          }
          int length;
          if (next == IPV6_FRAGMENT) {
            int offsetFlags = BigEndian.u16(frame, at + 2);
            if ((offsetFlags & IPV6_FRAGMENT_OFFSET) != 0) {
              stats.fragments++;
              return;
            }
            moreFragments = (offsetFlags & IPV6_MORE_FRAGMENTS) != 0;
            length = IPV6_EXTENSION_MIN;
          } else if (next == IPV6_AH) {
            length = ((frame[at + 1] & 0xff) + 2) * 4;
          } else {
            length = ((frame[at + 1] & 0xff) + 1) * 8;
          }
          next = frame[at] & 0xff;
          at += length;
        }
        case IP_PROTO_ESP, IPV6_NO_NEXT_HEADER -> {
          stats.noTransportHeader++;
          return;
        }
        default -> {
          return; // Another protocol (ICMPv6, ...): nothing of connbal's, as for IPv4.
        }
      }
    }
  }

  /**
   * {@code end} is where the captured bytes of the segment end, {@code declaredEnd} where the IP
   * header's length says it ends: only the first 20 bytes of the header are read, so options cut
   * off by a snap length do not matter, but a data offset past the segment does.
   */
  private static void decodeTcp(
      byte[] frame,
      int tcp,
      int end,
      int declaredEnd,
      long srcHigh,
      long srcLow,
      long dstHigh,
      long dstLow,
      FrameVisitor visitor,
      DecodeStats stats) {
    if (end - tcp < TCP_MIN_HEADER) {
      stats.malformedFrames++;
      return;
    }
    int headerLength = ((frame[tcp + 12] & 0xff) >>> 4) * 4;
    if (headerLength < TCP_MIN_HEADER || headerLength > declaredEnd - tcp) {
      stats.malformedFrames++;
      return;
    }
    int srcPort = BigEndian.u16(frame, tcp);
    int dstPort = BigEndian.u16(frame, tcp + 2);
    int flags = frame[tcp + 13] & 0xff;
    long seq = BigEndian.i32(frame, tcp + 4) & 0xffffffffL;
    visitor.tcp(srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort, flags, seq);
    if (srcPort == DnsMessage.PORT || dstPort == DnsMessage.PORT) {
      // DNS over TCP: the payload as far as it was captured (a snap length leaves a hole, which
      // the reassembly counts as a gap).
      int payload = Math.min(tcp + headerLength, end);
      visitor.tcpDns(
          srcHigh,
          srcLow,
          srcPort,
          dstHigh,
          dstLow,
          dstPort,
          flags,
          seq,
          frame,
          payload,
          end - payload);
    }
  }

  private static void decodeUdp(
      byte[] frame,
      int udp,
      int end,
      long srcHigh,
      long srcLow,
      long dstHigh,
      long dstLow,
      FrameVisitor visitor,
      DecodeStats stats) {
    if (end - udp < UDP_HEADER) {
      stats.malformedFrames++;
      return;
    }
    int udpLength = BigEndian.u16(frame, udp + 4);
    if (udpLength < UDP_HEADER || udpLength > end - udp) {
      stats.malformedFrames++;
      return;
    }
    int srcPort = BigEndian.u16(frame, udp);
    int dstPort = BigEndian.u16(frame, udp + 2);
    if (srcPort == DnsMessage.PORT || dstPort == DnsMessage.PORT) {
      visitor.dns(
          srcHigh,
          srcLow,
          srcPort,
          dstHigh,
          dstLow,
          dstPort,
          frame,
          udp + UDP_HEADER,
          udpLength - UDP_HEADER);
    }
  }
}
