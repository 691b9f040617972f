package dev.connbal.transforms.decode;

import dev.connbal.transforms.keys.IpAddress;

/**
 * Receives the events {@link FrameDecoder} extracts from a frame. Primitive arguments only, so the
 * per-frame path allocates nothing: each address is its two halves ({@link IpAddress}: {@code
 * high}, {@code low}; an IPv4 address has {@code high} 0 and {@code low} {@link IpAddress#v4Low}).
 */
public interface FrameVisitor {
  /**
   * A TCP segment. {@code flags} = TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK
   * 0x10, URG 0x20, ECE 0x40, CWR 0x80); {@code seq} is the unsigned 32-bit sequence number.
   */
  void tcp(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      int flags,
      long seq);

  /**
   * A UDP datagram with source or destination port {@value DnsMessage#PORT}; the DNS message is
   * {@code frame[offset, offset + length)}. The array is the caller's frame: read it during the
   * call, do not keep or modify it.
   */
  void dns(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      byte[] frame,
      int offset,
      int length);

  /**
   * A TCP segment with source or destination port {@value DnsMessage#PORT}, called after {@link
   * #tcp} for the same segment: its payload as captured is {@code frame[offset, offset + length)}
   * (shorter than sent when a snap length cut it; empty for a bare SYN). Read it during the call.
   */
  default void tcpDns(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      int flags,
      long seq,
      byte[] frame,
      int offset,
      int length) {}
}
