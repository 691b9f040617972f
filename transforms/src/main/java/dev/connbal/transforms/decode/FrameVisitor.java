package dev.connbal.transforms.decode;

/**
 * Receives the events {@link FrameDecoder} extracts from a frame. Primitive arguments only, so the
 * per-frame path allocates nothing.
 */
public interface FrameVisitor {
  /**
   * A TCP segment. {@code flags} = TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK
   * 0x10, URG 0x20, ECE 0x40, CWR 0x80); {@code seq} is the unsigned 32-bit sequence number. IPs
   * are IPv4 as int (network order, first octet in the high byte).
   */
  void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq);

  /**
   * A UDP datagram with source or destination port {@value DnsMessage#PORT}; the DNS message is
   * {@code frame[offset, offset + length)}. The array is the caller's frame: read it during the
   * call, do not keep or modify it.
   */
  void dns(int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length);

  /**
   * A TCP segment with source or destination port {@value DnsMessage#PORT}, called after {@link
   * #tcp} for the same segment: its payload as captured is {@code frame[offset, offset + length)}
   * (shorter than sent when a snap length cut it; empty for a bare SYN). Read it during the call.
   */
  default void tcpDns(
      int srcIp,
      int srcPort,
      int dstIp,
      int dstPort,
      int flags,
      long seq,
      byte[] frame,
      int offset,
      int length) {}
}
