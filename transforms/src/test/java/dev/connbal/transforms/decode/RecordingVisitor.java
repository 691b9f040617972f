package dev.connbal.transforms.decode;

import dev.connbal.transforms.keys.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records the visitor calls of {@link FrameDecoder} as readable strings and DNS payloads (over UDP
 * and TCP).
 */
final class RecordingVisitor implements FrameVisitor {
  final List<String> events = new ArrayList<>();
  final List<byte[]> dnsPayloads = new ArrayList<>();

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
    events.add(
        "tcp "
            + ip(srcHigh, srcLow)
            + ":"
            + srcPort
            + " > "
            + ip(dstHigh, dstLow)
            + ":"
            + dstPort
            + " flags=0x"
            + Integer.toHexString(flags)
            + " seq="
            + seq);
  }

  @Override
  public void tcpDns(
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
      int length) {
    events.add(
        "tcpdns "
            + ip(srcHigh, srcLow)
            + ":"
            + srcPort
            + " > "
            + ip(dstHigh, dstLow)
            + ":"
            + dstPort
            + " seq="
            + seq
            + " len="
            + length);
    dnsPayloads.add(Arrays.copyOfRange(frame, offset, offset + length));
  }

  @Override
  public void dns(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      byte[] frame,
      int offset,
      int length) {
    events.add(
        "dns "
            + ip(srcHigh, srcLow)
            + ":"
            + srcPort
            + " > "
            + ip(dstHigh, dstLow)
            + ":"
            + dstPort
            + " len="
            + length);
    dnsPayloads.add(Arrays.copyOfRange(frame, offset, offset + length));
  }

  /** An address in its plain form: dotted decimal, or RFC 5952 for IPv6. */
  static String ip(long high, long low) {
    return IpAddress.of(high, low).toString();
  }
}
