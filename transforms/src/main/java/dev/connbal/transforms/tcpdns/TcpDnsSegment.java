package dev.connbal.transforms.tcpdns;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.keys.IpAddress;
import java.util.Arrays;

/**
 * A TCP segment to or from port 53 that matters to the reassembly (a SYN, or one with payload), as
 * pass 1 read it: its direction, flags, sequence number, payload as captured, and its place on the
 * timeline. Every range sends its segments to the shard of their stream, where the segments of a
 * stream meet whichever ranges and files they were read in.
 */
public final class TcpDnsSegment {
  private final IpAddress srcIp;
  private final int srcPort;
  private final IpAddress dstIp;
  private final int dstPort;
  private final int flags;
  private final long seq;
  private final byte[] payload;
  private final OrderKey order;

  /** {@code payload} is kept, not copied. */
  public TcpDnsSegment(
      IpAddress srcIp,
      int srcPort,
      IpAddress dstIp,
      int dstPort,
      int flags,
      long seq,
      byte[] payload,
      OrderKey order) {
    this.srcIp = srcIp;
    this.srcPort = srcPort;
    this.dstIp = dstIp;
    this.dstPort = dstPort;
    this.flags = flags;
    this.seq = seq;
    this.payload = payload;
    this.order = order;
  }

  public IpAddress srcIp() {
    return srcIp;
  }

  public int srcPort() {
    return srcPort;
  }

  public IpAddress dstIp() {
    return dstIp;
  }

  public int dstPort() {
    return dstPort;
  }

  /** The TCP flags byte. */
  public int flags() {
    return flags;
  }

  /** The sequence number, unsigned 32-bit. */
  public long seq() {
    return seq;
  }

  public byte[] payload() {
    return payload;
  }

  /** The segment's place on the timeline: its record's time, file and offset. */
  public OrderKey order() {
    return order;
  }

  /** What the reassembler reads of it: sequence number, SYN flag and payload. */
  public DnsStreamReassembler.Segment forReassembly() {
    return new DnsStreamReassembler.Segment(seq, (flags & TcpFlags.SYN) != 0, payload);
  }

  /**
   * Its direction as a key: the segments of one direction of one stream, and only they, share it.
   */
  public String directionKey() {
    return srcIp + "|" + srcPort + ">" + dstIp + "|" + dstPort;
  }

  /** The stream, the same for both directions. */
  public FourTuple stream() {
    return FourTuple.of(srcIp, srcPort, dstIp, dstPort);
  }

  /** Whether {@code o} travels the same direction of the same stream. */
  public boolean sameDirection(TcpDnsSegment o) {
    return srcPort == o.srcPort
        && dstPort == o.dstPort
        && srcIp.equals(o.srcIp)
        && dstIp.equals(o.dstIp);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcpDnsSegment s
        && sameDirection(s)
        && flags == s.flags
        && seq == s.seq
        && order.equals(s.order)
        && Arrays.equals(payload, s.payload);
  }

  @Override
  public int hashCode() {
    return order.hashCode() * 31 + Long.hashCode(seq);
  }

  @Override
  public String toString() {
    return "TcpDnsSegment{"
        + stream()
        + " seq "
        + seq
        + ", "
        + payload.length
        + " bytes, "
        + order
        + "}";
  }
}
