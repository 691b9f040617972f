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
  public void tcp(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      int flags,
      long seq) {
    tcpSegments++;
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
    try {
      DnsMessage.decode(frame, offset, length);
      dnsMessages++;
    } catch (DnsDecodeException e) {
      dnsMalformed++;
    }
  }
}
