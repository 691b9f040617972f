package dev.connbal.transforms;

import java.util.List;

/**
 * What pass 1 makes of one range of a capture: its DNS events, and its part of the run report
 * (packets, bytes, frames skipped, malformed DNS). A range with many events emits several, all
 * but the last with an empty report.
 */
record DnsPartial(List<DnsEvent> events, RunReport report) {
  DnsPartial {
    events = List.copyOf(events);
  }
}
