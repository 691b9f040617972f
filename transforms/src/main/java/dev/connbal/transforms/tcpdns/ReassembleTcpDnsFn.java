package dev.connbal.transforms.tcpdns;

import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.RangeEvents;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.timeline.SrvLearner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The DNS messages over TCP of one shard of streams, from the segments every range read of them:
 * per stream direction, the segments in timeline order are reassembled ({@link
 * DnsStreamReassembler}) and each message becomes the event it would be over UDP, placed at the
 * segment that completes it. They leave as {@link DnsPartial}s keyed by the shard of their client,
 * one per client shard and file, to join pass 1's partials on their road to the timeline; the first
 * carries the shard's malformed messages and messages lost to gaps. The query names of responses
 * with SRV answers leave on {@link #srvNames}, as pass 1's do.
 *
 * <p>Several messages completed by one segment get the segment's record offset plus their ordinal:
 * each holds at least one byte of that segment, so the offsets stay below the next record's, and
 * every event keeps a place of its own between the records around it.
 */
public final class ReassembleTcpDnsFn
    extends DoFn<KV<Integer, Iterable<TcpDnsSegment>>, KV<Integer, DnsPartial>> {
  /** The main output's tag: the partials by client shard. */
  public static final TupleTag<KV<Integer, DnsPartial>> MAIN = new TupleTag<>("tcpDnsEvents") {};

  private final @Nullable String nameFilter;
  private final Shards timelineShards;
  private final TupleTag<List<DnsName>> srvNames;
  private transient DnsStreamReassembler reassembler;

  public ReassembleTcpDnsFn(
      @Nullable String nameFilter, Shards timelineShards, TupleTag<List<DnsName>> srvNames) {
    this.nameFilter = nameFilter;
    this.timelineShards = timelineShards;
    this.srvNames = srvNames;
  }

  @Setup
  public void setup() {
    reassembler = new DnsStreamReassembler();
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<TcpDnsSegment>> shard, MultiOutputReceiver out) {
    Map<String, List<TcpDnsSegment>> directions = new HashMap<>();
    for (TcpDnsSegment s : shard.getValue()) {
      directions.computeIfAbsent(s.directionKey(), k -> new ArrayList<>()).add(s);
    }
    Messages messages = new Messages();
    for (List<TcpDnsSegment> direction : directions.values()) {
      direction.sort((a, b) -> a.order().compareTo(b.order()));
      messages.of(direction);
    }
    RunReport report =
        RunReport.builder()
            .setDnsMalformed(messages.malformedCount())
            .setTcpDnsMessagesLost(messages.lostCount())
            .build();
    ConnBalMetrics.TCP_DNS_MESSAGES.inc(messages.decodedCount() + messages.malformedCount());
    ConnBalMetrics.TCP_DNS_MESSAGES_LOST.inc(messages.lostCount());
    ConnBalMetrics.DNS_MALFORMED.inc(messages.malformedCount());
    for (Map.Entry<PartialKey, List<DnsEvent>> partial : messages.events.entrySet()) {
      out.get(MAIN)
          .output(KV.of(partial.getKey().shard(), DnsPartial.of(partial.getValue(), report)));
      report = RunReport.empty();
    }
    if (!report.equals(RunReport.empty())) {
      out.get(MAIN).output(KV.of(0, DnsPartial.of(List.of(), report)));
    }
    if (!messages.srvNames.isEmpty()) {
      out.get(srvNames).output(List.copyOf(messages.srvNames));
    }
  }

  /**
   * The event {@code message} is, the {@code ordinal}-th message {@code completing} completes
   * ({@link DnsStreamReassembler.Sink#message}), or null when it is none: placed at the segment's
   * time and file, at its record offset plus the ordinal, so that every message keeps a place of
   * its own below the next record's. The windowed road places its messages the same way.
   */
  public static @Nullable DnsEvent toEvent(
      @Nullable String nameFilter, TcpDnsSegment completing, DnsMessage message, int ordinal) {
    OrderKey at = completing.order();
    return RangeEvents.toEvent(
        nameFilter,
        completing.srcIp(),
        completing.srcPort(),
        completing.dstIp(),
        completing.dstPort(),
        message,
        at.timestampMicros(),
        at.file(),
        at.recordOffset() + ordinal);
  }

  /** A partial's client shard and file (a partial holds events of one file). */
  private record PartialKey(int shard, String file) implements Comparable<PartialKey> {
    @Override
    public int compareTo(PartialKey o) {
      return shard != o.shard ? Integer.compare(shard, o.shard) : file.compareTo(o.file);
    }
  }

  /** What the directions of a shard yield. */
  private final class Messages extends DirectionMessages {
    final Map<PartialKey, List<DnsEvent>> events = new TreeMap<>();

    final Set<DnsName> srvNames = new HashSet<>();

    Messages() {
      super(nameFilter);
    }

    /** The messages of one direction, its segments in timeline order. */
    void of(List<TcpDnsSegment> direction) {
      reassemble(reassembler, direction, 0, true);
    }

    @Override
    protected void event(DnsEvent event, DnsMessage message) {
      events
          .computeIfAbsent(
              new PartialKey(
                  timelineShards.ofClient(event.query().clientIp()), event.order().file()),
              k -> new ArrayList<>())
          .add(event);
      if (SrvLearner.carriesSrv(event)) {
        srvNames.add(event.query().name());
      }
    }
  }
}
