package dev.connbal.transforms;

import dev.connbal.snoop.SnoopRecord;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.DnsDecodeException;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.DnsRecord;
import dev.connbal.transforms.decode.FrameDecoder;
import dev.connbal.transforms.decode.FrameVisitor;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Pass 1: decodes every record and keeps the DNS queries and responses SEMANTICS.md's events
 * define, each with its place on the timeline; TCP is ignored in this pass. Each bundle also emits
 * its partial {@link RunReport} (packets, bytes, skipped frames, malformed DNS).
 */
final class ExtractDnsEventsFn extends DoFn<SnoopRecord, DnsEvent> {
  static final TupleTag<DnsEvent> EVENTS = new TupleTag<>() {};
  static final TupleTag<RunReport> REPORT = new TupleTag<>() {};

  private static final int DNS_PORT = 53;

  /** Substring the query name must contain, or null for every name. */
  private final String nameFilter;

  private transient DecodeStats stats;
  private transient long packets;
  private transient long frameBytes;
  private transient long queries;
  private transient long responses;
  private transient DnsVisitor visitor;

  ExtractDnsEventsFn(String nameFilter) {
    this.nameFilter = nameFilter;
  }

  @Setup
  public void setup() {
    visitor = new DnsVisitor();
  }

  @StartBundle
  public void startBundle() {
    stats = new DecodeStats();
    packets = 0;
    frameBytes = 0;
    queries = 0;
    responses = 0;
  }

  @ProcessElement
  public void process(@Element SnoopRecord record, MultiOutputReceiver out) {
    packets++;
    frameBytes += record.includedLength();
    visitor.record = record;
    visitor.out = out;
    FrameDecoder.decode(
        record.frame(), record.originalLength(), record.datalinkType(), visitor, stats);
    visitor.record = null;
    visitor.out = null;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    RunReport partial =
        RunReport.builder()
            .setPackets(packets)
            .setFrameBytes(frameBytes)
            .setDnsMalformed(stats.dnsMalformed)
            .setNonIpv4Frames(stats.nonIpv4)
            .setMalformedFrames(stats.malformedFrames)
            .setFragmentsSkipped(stats.fragments)
            .build();
    c.output(REPORT, partial, GlobalWindow.INSTANCE.maxTimestamp(), GlobalWindow.INSTANCE);
    ConnBalMetrics.PACKETS.inc(packets);
    ConnBalMetrics.FRAME_BYTES.inc(frameBytes);
    ConnBalMetrics.DNS_MALFORMED.inc(stats.dnsMalformed);
    ConnBalMetrics.NON_IPV4_FRAMES.inc(stats.nonIpv4);
    ConnBalMetrics.MALFORMED_FRAMES.inc(stats.malformedFrames);
    ConnBalMetrics.FRAGMENTS_SKIPPED.inc(stats.fragments);
    ConnBalMetrics.DNS_QUERIES.inc(queries);
    ConnBalMetrics.DNS_RESPONSES.inc(responses);
  }

  /** Turns the DNS datagrams of the current record into events. */
  private final class DnsVisitor implements FrameVisitor {
    SnoopRecord record;
    MultiOutputReceiver out;

    @Override
    public void tcp(int srcIp, int srcPort, int dstIp, int dstPort, int flags, long seq) {
      // Pass 1 is about DNS only; pass 2 reads TCP against the finished backend table.
    }

    @Override
    public void dns(
        int srcIp, int srcPort, int dstIp, int dstPort, byte[] frame, int offset, int length) {
      DnsMessage message;
      try {
        message = DnsMessage.decode(frame, offset, length);
      } catch (DnsDecodeException e) {
        stats.dnsMalformed++;
        return;
      }
      DnsEvent event = toEvent(srcIp, srcPort, dstIp, dstPort, message);
      if (event != null) {
        out.get(EVENTS).output(event);
      }
    }

    private DnsEvent toEvent(int srcIp, int srcPort, int dstIp, int dstPort, DnsMessage m) {
      // DnsMessage.decode only accepts messages with exactly one question.
      if (!passesFilter(m)) {
        return null;
      }
      OrderKey order = new OrderKey(record.timestampMicros(), record.file(), record.recordOffset());
      if (!m.isResponse() && dstPort == DNS_PORT && isCountedQuery(m)) {
        queries++;
        return DnsEvent.query(order, new QueryKey(srcIp, srcPort, dstIp, m.id(), m.questionName()));
      }
      if (m.isResponse() && srcPort == DNS_PORT && m.answerCount() > 0) {
        responses++;
        return DnsEvent.response(
            order,
            new QueryKey(dstIp, dstPort, srcIp, m.id(), m.questionName()),
            m.answerCount(),
            usableRecords(m));
      }
      return null;
    }

    private boolean passesFilter(DnsMessage m) {
      return nameFilter == null || m.questionName().containsIgnoreCase(nameFilter);
    }
  }

  private static boolean isCountedQuery(DnsMessage m) {
    return m.questionClass() == DnsRecord.CLASS_IN
        && (m.questionType() == DnsRecord.A || m.questionType() == DnsRecord.SRV);
  }

  /** The records the backend rules read, in section order; authority records and OPT never are. */
  private static List<DnsEventRecord> usableRecords(DnsMessage m) {
    List<DnsEventRecord> records = new ArrayList<>();
    for (DnsRecord r : m.answers()) {
      if (r.dnsClass() != DnsRecord.CLASS_IN) {
        continue;
      }
      switch (r.type()) {
        case DnsRecord.A ->
            records.add(DnsEventRecord.a(DnsEventRecord.Section.ANSWER, r.name(), r.aAddress()));
        case DnsRecord.SRV -> records.add(DnsEventRecord.srv(r.name(), r.srvTarget(), r.srvPort()));
        case DnsRecord.CNAME -> records.add(DnsEventRecord.cname(r.name(), r.cnameTarget()));
        default -> {
          // Other types only count towards the size of the answer section.
        }
      }
    }
    for (DnsRecord r : m.additionals()) {
      if (r.type() == DnsRecord.A && r.dnsClass() == DnsRecord.CLASS_IN) {
        records.add(DnsEventRecord.a(DnsEventRecord.Section.ADDITIONAL, r.name(), r.aAddress()));
      }
    }
    return records;
  }
}
