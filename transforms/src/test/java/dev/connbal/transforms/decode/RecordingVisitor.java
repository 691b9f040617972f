package dev.connbal.transforms.decode;

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
  public void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq) {
    events.add(
        "tcp "
            + ip(srcIp)
            + ":"
            + srcPort
            + " > "
            + ip(dstIp)
            + ":"
            + dstPort
            + " flags=0x"
            + Integer.toHexString(flags)
            + " seq="
            + seq);
  }

  @Override
  public void tcpDns(
      int srcIp,
      int srcPort,
      int dstIp,
      int dstPort,
      int flags,
      long seq,
      byte[] frame,
      int offset,
      int length) {
    events.add(
        "tcpdns " + ip(srcIp) + ":" + srcPort + " > " + ip(dstIp) + ":" + dstPort + " seq=" + seq
            + " len=" + length);
    dnsPayloads.add(Arrays.copyOfRange(frame, offset, offset + length));
  }

  @Override
  public void dns(
      int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length) {
    events.add(
        "dns " + ip(srcIp) + ":" + srcPort + " > " + ip(dstIp) + ":" + dstPort + " len=" + length);
    dnsPayloads.add(Arrays.copyOfRange(frame, offset, offset + length));
  }

  static String ip(int ip) {
    return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
  }
}
