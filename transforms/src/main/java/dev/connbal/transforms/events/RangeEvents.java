package dev.connbal.transforms.events;

import dev.connbal.snoop.SnoopRecordView;
import dev.connbal.transforms.decode.DecodeStats;
import dev.connbal.transforms.decode.DnsDecodeException;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.DnsMessageReader;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCache;
import dev.connbal.transforms.decode.DnsRecord;
import dev.connbal.transforms.decode.FrameDecoder;
import dev.connbal.transforms.decode.FrameVisitor;
import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The events of pass 1 in one range of a capture, as its records are decoded: the DNS queries and
 * responses SEMANTICS.md's "Events" define, each with its place on the timeline, and (when asked)
 * every opening SYN (SYN without ACK, FIN or RST); with the range's counts for the run report. What
 * is done with them, batched for the timeline of a whole run ({@link DnsAndSynParser}) or stamped
 * with their time for windows, is the subclass's.
 */
public abstract class RangeEvents implements FrameVisitor {
  private final @Nullable String nameFilter;
  private final boolean wantsSyns;
  private final DecodeStats stats = new DecodeStats();

  /** One reader and name cache for the range: its messages repeat a few names many times. */
  private final DnsMessageReader dnsReader = new DnsMessageReader(new DnsNameCache());

  private long packets;
  private long frameBytes;
  private long queries;
  private long responses;
  private SnoopRecordView record;

  /** The event being handed to {@link #dnsEvent}: one for the range, filled again each time. */
  private final PlacedDnsEvent placed = new PlacedDnsEvent();

  /**
   * @param nameFilter substring the query name must contain, or null for every name
   * @param wantsSyns whether {@link #openingSyn} is called
   */
  protected RangeEvents(@Nullable String nameFilter, boolean wantsSyns) {
    this.nameFilter = nameFilter;
    this.wantsSyns = wantsSyns;
  }

  /**
   * A DNS query or response of the range, in file order ({@link #placeEvent}); {@link #event} makes
   * a {@link DnsEvent} of it, and what a response names is {@link #usableRecords}. {@code event} is
   * filled again for the next one.
   */
  protected abstract void dnsEvent(PlacedDnsEvent event);

  /** An opening SYN of the range, in file order. */
  protected abstract void openingSyn(
      long clientHigh,
      long clientLow,
      long serverHigh,
      long serverLow,
      int port,
      int clientPort,
      long isn,
      long timeMicros);

  /**
   * A TCP segment to or from port 53 that is a SYN or carries payload, in file order: the ranges'
   * segments of a stream are put back together elsewhere ({@link
   * dev.connbal.transforms.tcpdns.DnsStreamReassembler}).
   */
  protected abstract void tcpDnsSegment(TcpDnsSegment segment);

  /** Decodes the next record of the range. */
  protected final void decode(SnoopRecordView r) {
    packets++;
    frameBytes += r.includedLength();
    record = r;
    FrameDecoder.decode(r, this, stats);
    record = null;
  }

  /** The range's part of the run report, also added to the metrics; once, at the range's end. */
  protected final RunReport finishReport() {
    ConnBalMetrics.PACKETS.inc(packets);
    ConnBalMetrics.FRAME_BYTES.inc(frameBytes);
    ConnBalMetrics.DNS_MALFORMED.inc(stats.dnsMalformed);
    ConnBalMetrics.UNSUPPORTED_LINK_TYPE_FRAMES.inc(stats.unsupportedLinkType);
    ConnBalMetrics.NOT_IP_FRAMES.inc(stats.notIp);
    ConnBalMetrics.NO_TRANSPORT_HEADER_FRAMES.inc(stats.noTransportHeader);
    ConnBalMetrics.MALFORMED_FRAMES.inc(stats.malformedFrames);
    ConnBalMetrics.FRAGMENTS_SKIPPED.inc(stats.fragments);
    ConnBalMetrics.DNS_QUERIES.inc(queries);
    ConnBalMetrics.DNS_RESPONSES.inc(responses);
    return RunReport.builder()
        .setPackets(packets)
        .setFrameBytes(frameBytes)
        .setDnsMalformed(stats.dnsMalformed)
        .setUnsupportedLinkTypeFrames(stats.unsupportedLinkType)
        .setNotIpFrames(stats.notIp)
        .setNoTransportHeaderFrames(stats.noTransportHeader)
        .setMalformedFrames(stats.malformedFrames)
        .setFragmentsSkipped(stats.fragments)
        .build();
  }

  @Override
  public final void tcp(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      int flags,
      long seq) {
    if (wantsSyns && TcpFlags.isOpeningSyn(flags)) {
      openingSyn(srcHigh, srcLow, dstHigh, dstLow, dstPort, srcPort, seq, record.timestampMicros());
    }
    tcpPacket(srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort, flags, seq, record);
  }

  /**
   * Every TCP packet of the range, in file order, with its record (addresses as {@link #tcp} has
   * them); nothing by default.
   */
  protected void tcpPacket(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      int flags,
      long seq,
      SnoopRecordView r) {}

  @Override
  public final void tcpDns(
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
    if (length > 0 || (flags & TcpFlags.SYN) != 0) {
      tcpDnsSegment(
          new TcpDnsSegment(
              IpAddress.of(srcHigh, srcLow),
              srcPort,
              IpAddress.of(dstHigh, dstLow),
              dstPort,
              flags,
              seq,
              Arrays.copyOfRange(frame, offset, offset + length),
              new OrderKey(record.timestampMicros(), record.file(), record.recordOffset())));
    }
  }

  @Override
  public final void dns(
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      byte[] frame,
      int offset,
      int length) {
    DnsMessage message;
    try {
      message = dnsReader.decode(frame, offset, length);
    } catch (DnsDecodeException e) {
      stats.dnsMalformed++;
      return;
    }
    placed.place(record.timestampMicros(), record.file(), record.recordOffset());
    if (placeEvent(
        nameFilter, srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort, message, placed)) {
      dnsEvent(placed);
      if (message.isResponse()) {
        responses++;
      } else {
        queries++;
      }
    }
  }

  /**
   * Whether a DNS message from {@code src} to {@code dst} is an event (SEMANTICS.md "Events") whose
   * name passes {@code nameFilter} (null for every name); if so, sets it in {@code into} with its
   * client (the sender of a query, the receiver of a response) and server, beside the place {@code
   * into} has. The one definition of which messages are events, over UDP and over TCP alike; {@link
   * #usableRecords} gives a response's records.
   */
  public static boolean placeEvent(
      @Nullable String nameFilter,
      long srcHigh,
      long srcLow,
      int srcPort,
      long dstHigh,
      long dstLow,
      int dstPort,
      DnsMessage m,
      PlacedDnsEvent into) {
    // DnsMessage.decode only accepts messages with exactly one question.
    if (nameFilter != null && !m.questionName().containsIgnoreCase(nameFilter)) {
      return false;
    }
    if (!m.isResponse() && dstPort == DnsMessage.PORT && isCountedQuery(m)) {
      into.set(m, srcHigh, srcLow, srcPort, dstHigh, dstLow);
      return true;
    }
    if (m.isResponse() && srcPort == DnsMessage.PORT && m.answerCount() > 0) {
      into.set(m, dstHigh, dstLow, dstPort, srcHigh, srcLow);
      return true;
    }
    return false;
  }

  /**
   * The event a DNS message from {@code srcIp:srcPort} to {@code dstIp:dstPort} is, placed at
   * {@code (timeMicros, file, recordOffset)}, or null when it is none ({@link #placeEvent}).
   */
  public static @Nullable DnsEvent toEvent(
      @Nullable String nameFilter,
      IpAddress srcIp,
      int srcPort,
      IpAddress dstIp,
      int dstPort,
      DnsMessage m,
      long timeMicros,
      String file,
      long recordOffset) {
    PlacedDnsEvent placed = new PlacedDnsEvent();
    placed.place(timeMicros, file, recordOffset);
    boolean isEvent =
        placeEvent(
            nameFilter,
            srcIp.high(),
            srcIp.low(),
            srcPort,
            dstIp.high(),
            dstIp.low(),
            dstPort,
            m,
            placed);
    return isEvent ? event(placed) : null;
  }

  /** The {@link DnsEvent} of {@code e}. */
  public static DnsEvent event(PlacedDnsEvent e) {
    DnsMessage m = e.message();
    OrderKey order = new OrderKey(e.timeMicros(), e.file(), e.recordOffset());
    QueryKey query =
        new QueryKey(
            IpAddress.of(e.clientHigh(), e.clientLow()),
            e.clientPort(),
            IpAddress.of(e.serverHigh(), e.serverLow()),
            m.id(),
            m.questionName());
    if (!m.isResponse()) {
      return DnsEvent.query(order, query);
    }
    List<DnsEventRecord> records = new ArrayList<>();
    usableRecords(m, new RecordList(records));
    return DnsEvent.response(order, query, m.answerCount(), records);
  }

  private static boolean isCountedQuery(DnsMessage m) {
    return m.questionClass() == DnsRecord.CLASS_IN
        && (m.questionType() == DnsRecord.A
            || m.questionType() == DnsRecord.AAAA
            || m.questionType() == DnsRecord.SRV);
  }

  /**
   * Hands {@code visitor} the records of the response {@code m} that the backend rules read, in
   * section order; authority records and OPT never are.
   */
  public static void usableRecords(DnsMessage m, DnsEventRecord.Visitor visitor) {
    // SEMANTICS.md: a truncated response answers its query but names no backend; the client
    // throws it away and asks again over TCP.
    if (m.isTruncated()) {
      return;
    }
    List<DnsRecord> answers = m.answers();
    for (int i = 0; i < answers.size(); i++) {
      DnsRecord r = answers.get(i);
      if (r.dnsClass() != DnsRecord.CLASS_IN) {
        continue;
      }
      switch (r.type()) {
        case DnsRecord.A, DnsRecord.AAAA ->
            visitor.address(DnsEventRecord.Section.ANSWER, r.name(), r.address());
        case DnsRecord.SRV ->
            visitor.srv(r.name(), r.srvTarget(), r.srvPort(), r.srvPriority(), r.srvWeight());
        case DnsRecord.CNAME -> visitor.cname(r.name(), r.cnameTarget());
        default -> {
          // Other types only count towards the size of the answer section.
        }
      }
    }
    List<DnsRecord> additionals = m.additionals();
    for (int i = 0; i < additionals.size(); i++) {
      DnsRecord r = additionals.get(i);
      if (r.isAddress() && r.dnsClass() == DnsRecord.CLASS_IN) {
        visitor.address(DnsEventRecord.Section.ADDITIONAL, r.name(), r.address());
      }
    }
  }

  /** The usable records as {@link DnsEventRecord}s, for the events that are kept as objects. */
  private record RecordList(List<DnsEventRecord> records) implements DnsEventRecord.Visitor {
    @Override
    public void address(DnsEventRecord.Section section, DnsName owner, IpAddress address) {
      records.add(DnsEventRecord.address(section, owner, address));
    }

    @Override
    public void srv(DnsName service, DnsName target, int port, int priority, int weight) {
      records.add(DnsEventRecord.srv(service, target, port, priority, weight));
    }

    @Override
    public void cname(DnsName alias, DnsName target) {
      records.add(DnsEventRecord.cname(alias, target));
    }
  }
}
