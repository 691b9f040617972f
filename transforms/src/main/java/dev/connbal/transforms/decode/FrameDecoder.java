package dev.connbal.transforms.decode;

import dev.connbal.snoop.BigEndian;
import dev.connbal.snoop.SnoopRecordView;

/**
 * Decodes captured link-layer frames down to the two events connbal needs: TCP segments and UDP DNS
 * datagrams over IPv4.
 *
 * <p>Every field is read by direct array indexing after a bounds check against what the headers
 * themselves claim, so hostile or truncated frames are counted in {@link DecodeStats}, never
 * thrown. Nothing is allocated per frame: this runs once per captured packet.
 */
public final class FrameDecoder {
  private static final int DATALINK_IEEE_802_3 = 0;
  private static final int DATALINK_ETHERNET = 4;

  private static final int ETHERNET_HEADER = 14;
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int TPID_8021Q = 0x8100;
  private static final int TPID_8021AD = 0x88a8;
  private static final int TPID_QINQ_LEGACY = 0x9100;
  private static final int VLAN_TAG = 4;

  private static final int IPV4_MIN_HEADER = 20;
  private static final int IP_PROTO_TCP = 6;
  private static final int IP_PROTO_UDP = 17;
  private static final int IP_MORE_FRAGMENTS = 0x2000;
  private static final int IP_FRAGMENT_OFFSET = 0x1fff;

  private static final int TCP_MIN_HEADER = 20;
  private static final int UDP_HEADER = 8;

  private FrameDecoder() {}

  /**
   * Decodes a frame that was captured whole. Calls at most one visitor method; never throws;
   * allocation-free for frames that are neither DNS nor TCP (and for those, as long as the visitor
   * is). Datalink type 4 (and 0) = Ethernet; anything else counts as nonIpv4.
   */
  public static void decode(
      byte[] frame, int datalinkType, FrameVisitor visitor, DecodeStats stats) {
    decode(frame, frame.length, datalinkType, visitor, stats);
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
      byte[] frame, int originalLength, int datalinkType, FrameVisitor visitor, DecodeStats stats) {
    decode(frame, 0, frame.length, originalLength, datalinkType, visitor, stats);
  }

  /** Decodes a record's frame in place in the reader's buffer (see {@link SnoopRecordView}). */
  public static void decode(SnoopRecordView record, FrameVisitor visitor, DecodeStats stats) {
    decode(
        record.buffer(),
        record.frameOffset(),
        record.includedLength(),
        record.originalLength(),
        record.datalinkType(),
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
      int datalinkType,
      FrameVisitor visitor,
      DecodeStats stats) {
    stats.frames++;
    if (datalinkType != DATALINK_ETHERNET && datalinkType != DATALINK_IEEE_802_3) {
      stats.nonIpv4++;
      return;
    }
    int end = offset + length;
    if (length < ETHERNET_HEADER) {
      stats.malformedFrames++;
      return;
    }
    int typeAt = offset + 12;
    int etherType = BigEndian.u16(buffer, typeAt);
    // Stacked tags: each is a 2-byte TPID (already read as the ethertype) and a 2-byte TCI,
    // followed by the next ethertype. Every iteration consumes 4 bytes, so the loop is bounded.
    while (etherType == TPID_8021Q || etherType == TPID_8021AD || etherType == TPID_QINQ_LEGACY) {
      typeAt += VLAN_TAG;
      if (typeAt + 2 > end) {
        stats.malformedFrames++;
        return;
      }
      etherType = BigEndian.u16(buffer, typeAt);
    }
    if (etherType != ETHERTYPE_IPV4) {
      stats.nonIpv4++;
      return;
    }
    decodeIpv4(buffer, typeAt + 2, end, offset + Math.max(length, originalLength), visitor, stats);
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
    int srcIp = BigEndian.i32(frame, ip + 12);
    int dstIp = BigEndian.i32(frame, ip + 16);
    int transport = ip + headerLength;
    // Trailing Ethernet padding lies beyond the IP total length: never part of the payload; bytes
    // the snap length cut off were never captured.
    int transportEnd = Math.min(ip + totalLength, end);
    if (protocol == IP_PROTO_TCP) {
      decodeTcp(frame, transport, transportEnd, ip + totalLength, srcIp, dstIp, visitor, stats);
    } else if (protocol == IP_PROTO_UDP) {
      if ((fragment & IP_MORE_FRAGMENTS) != 0) {
        stats.fragments++;
        return;
      }
      decodeUdp(frame, transport, transportEnd, srcIp, dstIp, visitor, stats);
    }
  }

  /**
   * {@code end} is where the captured bytes of the segment end, {@code declaredEnd} where the IPv4
   * total length says it ends: only the first 20 bytes of the header are read, so options cut off
   * by a snap length do not matter, but a data offset past the segment does.
   */
  private static void decodeTcp(
      byte[] frame,
      int tcp,
      int end,
      int declaredEnd,
      int srcIp,
      int dstIp,
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
    visitor.tcp(
        srcIp,
        BigEndian.u16(frame, tcp),
        dstIp,
        BigEndian.u16(frame, tcp + 2),
        frame[tcp + 13] & 0xff,
        BigEndian.i32(frame, tcp + 4) & 0xffffffffL);
  }

  private static void decodeUdp(
      byte[] frame,
      int udp,
      int end,
      int srcIp,
      int dstIp,
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
      visitor.dns(srcIp, srcPort, dstIp, dstPort, frame, udp + UDP_HEADER, udpLength - UDP_HEADER);
    }
  }
}
