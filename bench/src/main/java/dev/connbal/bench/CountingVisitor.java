package dev.connbal.bench;

import dev.connbal.transforms.decode.DnsDecodeException;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.FrameVisitor;

/**
 * The work the throughput probes measure: counts the TCP segments the frame decoder reports and
 * decodes every DNS payload in full (counting the malformed ones), keeping nothing.
 */
final class CountingVisitor implements FrameVisitor {
  long tcpSegments;
  long dnsMessages;
  long dnsMalformed;

  @Override
  public void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq) {
    tcpSegments++;
  }

  @Override
  public void dns(
      int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length) {
    try {
      DnsMessage.decode(frame, offset, length);
      dnsMessages++;
    } catch (DnsDecodeException e) {
      dnsMalformed++;
    }
  }
}
