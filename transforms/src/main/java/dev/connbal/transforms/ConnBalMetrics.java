package dev.connbal.transforms;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/** The Beam metrics of a run, namespace {@value #NAMESPACE}; they mirror {@link RunReport}. */
final class ConnBalMetrics {
  static final String NAMESPACE = "connbal";

  static final Counter PACKETS = Metrics.counter(NAMESPACE, "packets");
  static final Counter FRAME_BYTES = Metrics.counter(NAMESPACE, "frameBytes");
  static final Counter DNS_MALFORMED = Metrics.counter(NAMESPACE, "dnsMalformed");
  static final Counter NON_IPV4_FRAMES = Metrics.counter(NAMESPACE, "nonIpv4Frames");
  static final Counter MALFORMED_FRAMES = Metrics.counter(NAMESPACE, "malformedFrames");
  static final Counter FRAGMENTS_SKIPPED = Metrics.counter(NAMESPACE, "fragmentsSkipped");
  static final Counter DNS_QUERIES = Metrics.counter(NAMESPACE, "dnsQueries");
  static final Counter DNS_RESPONSES = Metrics.counter(NAMESPACE, "dnsResponses");
  static final Counter RESPONSES_MATCHED = Metrics.counter(NAMESPACE, "responsesMatched");
  static final Counter RESPONSES_WITHOUT_QUERY =
      Metrics.counter(NAMESPACE, "responsesWithoutQuery");
  static final Counter BACKENDS = Metrics.counter(NAMESPACE, "backends");
  static final Counter CORRUPT_REGIONS = Metrics.counter(NAMESPACE, "corruptRegions");
  static final Counter CORRUPT_BYTES = Metrics.counter(NAMESPACE, "corruptBytes");
  static final Counter TRUNCATED_RECORDS = Metrics.counter(NAMESPACE, "truncatedRecords");
  static final Counter TRUNCATED_BYTES = Metrics.counter(NAMESPACE, "truncatedBytes");
  static final Counter FILES_WITH_ERRORS = Metrics.counter(NAMESPACE, "filesWithErrors");
  static final Counter CONNECTIONS = Metrics.counter(NAMESPACE, "connectionsCounted");

  private ConnBalMetrics() {}
}
