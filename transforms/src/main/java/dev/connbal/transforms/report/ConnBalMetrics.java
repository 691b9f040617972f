package dev.connbal.transforms.report;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The Beam metrics of the analysis, namespace {@value #NAMESPACE}: the packets, DNS and connection
 * counts of the {@link RunReport}. Read errors are counted once, by SnoopIO where they are met
 * (namespace {@value dev.connbal.snoop.SnoopIO#METRICS_NAMESPACE}), not here.
 */
public final class ConnBalMetrics {
  public static final String NAMESPACE = "connbal";

  public static final Counter PACKETS = Metrics.counter(NAMESPACE, "packets");
  public static final Counter FRAME_BYTES = Metrics.counter(NAMESPACE, "frameBytes");
  public static final Counter DNS_MALFORMED = Metrics.counter(NAMESPACE, "dnsMalformed");
  public static final Counter UNSUPPORTED_LINK_TYPE_FRAMES =
      Metrics.counter(NAMESPACE, "unsupportedLinkTypeFrames");
  public static final Counter NOT_IP_FRAMES = Metrics.counter(NAMESPACE, "notIpFrames");
  public static final Counter NO_TRANSPORT_HEADER_FRAMES =
      Metrics.counter(NAMESPACE, "noTransportHeaderFrames");
  public static final Counter MALFORMED_FRAMES = Metrics.counter(NAMESPACE, "malformedFrames");
  public static final Counter FRAGMENTS_SKIPPED = Metrics.counter(NAMESPACE, "fragmentsSkipped");
  public static final Counter DNS_QUERIES = Metrics.counter(NAMESPACE, "dnsQueries");
  public static final Counter DNS_RESPONSES = Metrics.counter(NAMESPACE, "dnsResponses");
  public static final Counter RESPONSES_MATCHED = Metrics.counter(NAMESPACE, "responsesMatched");
  public static final Counter RESPONSES_WITHOUT_QUERY =
      Metrics.counter(NAMESPACE, "responsesWithoutQuery");
  public static final Counter TCP_DNS_MESSAGES = Metrics.counter(NAMESPACE, "tcpDnsMessages");
  public static final Counter TCP_DNS_MESSAGES_LOST =
      Metrics.counter(NAMESPACE, "tcpDnsMessagesLost");
  public static final Counter BACKENDS = Metrics.counter(NAMESPACE, "backends");

  public static final Counter CONNECTIONS = Metrics.counter(NAMESPACE, "connectionsCounted");

  private ConnBalMetrics() {}
}
