package dev.connbal.transforms.events;

import dev.connbal.snoop.SnoopRecordParser;
import dev.connbal.snoop.SnoopRecordView;
import dev.connbal.transforms.count.AttemptCounts;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import dev.connbal.transforms.timeline.SrvLearner;
import dev.connbal.transforms.wire.DnsPartialCoder;
import dev.connbal.transforms.wire.SynBatchCoder;
import dev.connbal.transforms.wire.TcpDnsSegmentCoder;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Pass 1: decodes every record of a range as it is read and keeps the DNS queries and responses
 * SEMANTICS.md's events define, each with its place on the timeline, and in the default mode also
 * every opening SYN (SYN without ACK, FIN or RST) with its time: the backends are not known yet, so
 * the SYNs to every server are kept, and the join after the timeline counts those to backends
 * ({@link AttemptCounts}). Each capture is then read once; the all-streams mode, which needs more
 * than SYNs, reads TCP in a second pass against the finished backend table.
 *
 * <p>The events leave as {@link DnsPartial}s keyed by the shard of their client (the timeline runs
 * per client shard), written as they are decoded ({@link DnsPartialBatch}), one per shard the range
 * has events of, or more when it holds more than {@value #MAX_EVENTS_PER_PARTIAL} events; the first
 * carries the range's part of the {@link RunReport} (packets, bytes, skipped frames, malformed
 * DNS). The events of query names that a response with SRV answers carries (few) go to {@link
 * #SRV_EVENTS} instead of the main output, and those names to {@link #SRV_NAMES}: the SRV learning
 * pass reads them ({@link SrvLearner}). The additional output {@link #SYNS} has a {@code KV<shard,
 * SynBatch>} per shard of (client, server) pairs the range has SYNs for, output early every {@value
 * #MAX_SYNS_PER_FLUSH} SYNs. So no element grows with the split size. The TCP segments that may
 * carry DNS leave one each on {@link #TCP_DNS_SEGMENTS} (DNS over TCP is a small part of a
 * capture), to be put back together per stream across ranges and files.
 */
public final class DnsAndSynParser extends SnoopRecordParser<KV<Integer, DnsPartial>> {
  private static final long serialVersionUID = 1L;

  /** The additional output of the SYN batches, by shard. */
  public static final TupleTag<KV<Integer, SynBatch>> SYNS = new TupleTag<>("syns") {};

  /** The additional output of the events of names with SRV answers, by client shard. */
  public static final TupleTag<KV<Integer, DnsPartial>> SRV_EVENTS = new TupleTag<>("srvEvents") {};

  /** The additional output of the query names of responses with SRV answers. */
  public static final TupleTag<List<DnsName>> SRV_NAMES = new TupleTag<>("srvNames") {};

  /**
   * The additional output of the TCP segments to or from port 53 (SYNs and those with payload), by
   * shard of their stream: their DNS messages are put back together once every range has been read.
   */
  public static final TupleTag<KV<Integer, TcpDnsSegment>> TCP_DNS_SEGMENTS =
      new TupleTag<>("tcpDnsSegments") {};

  static final int MAX_EVENTS_PER_PARTIAL = 10_000;

  /**
   * SYNs a range collects before it outputs them early: 24 bytes each, and as much again while they
   * are sorted into batches, so at most about 12 MB per reading thread (a 64 MiB range of a typical
   * capture holds tens of thousands; a whole compressed file is one range).
   */
  static final int MAX_SYNS_PER_FLUSH = 250_000;

  /** Substring the query name must contain, or null for every name. */
  private final String nameFilter;

  /** The shards SYN batches are keyed by, or null when SYNs are not collected (-a). */
  private final Shards synShards;

  /** The shards of clients DNS events are keyed by. */
  private final Shards timelineShards;

  /**
   * A parser of DNS events, keyed by {@code timelineShards}, only ({@code synShards} null) or of
   * DNS events and SYNs, batched by {@code synShards}.
   */
  public DnsAndSynParser(String nameFilter, Shards synShards, Shards timelineShards) {
    this.nameFilter = nameFilter;
    this.synShards = synShards;
    this.timelineShards = timelineShards;
  }

  /** The coder of the keyed partials of the main output and of {@link #SRV_EVENTS}. */
  public static Coder<KV<Integer, DnsPartial>> partialsCoder() {
    return KvCoder.of(VarIntCoder.of(), DnsPartialCoder.of());
  }

  /** The coder of {@link #TCP_DNS_SEGMENTS}. */
  public static Coder<KV<Integer, TcpDnsSegment>> tcpDnsSegmentsCoder() {
    return KvCoder.of(VarIntCoder.of(), TcpDnsSegmentCoder.of());
  }

  @Override
  public Coder<KV<Integer, DnsPartial>> getOutputCoder() {
    return partialsCoder();
  }

  @Override
  public Map<TupleTag<?>, Coder<?>> getAdditionalOutputs() {
    return Map.of(
        SYNS, KvCoder.of(VarIntCoder.of(), SynBatchCoder.of()),
        SRV_EVENTS, partialsCoder(),
        SRV_NAMES, ListCoder.of(DnsNameCoder.of()),
        TCP_DNS_SEGMENTS, tcpDnsSegmentsCoder());
  }

  @Override
  public RangeParser startRange(RangeContext context, Consumer<KV<Integer, DnsPartial>> output) {
    return new DnsEventAndSynCollector(context, output);
  }

  /**
   * The parser of one range: turns the DNS datagrams of its records into events and collects its
   * opening SYNs, and outputs both in batches.
   */
  private final class DnsEventAndSynCollector extends RangeEvents
      implements RangeParser, DnsPartialBatch.Output {
    private final RangeContext context;
    private final Consumer<KV<Integer, DnsPartial>> output;
    private final DnsPartialBatch events = new DnsPartialBatch(timelineShards);
    private final SynBatch.Collector syns = new SynBatch.Collector();

    DnsEventAndSynCollector(RangeContext context, Consumer<KV<Integer, DnsPartial>> output) {
      super(nameFilter, synShards != null);
      this.context = context;
      this.output = output;
    }

    @Override
    public void record(SnoopRecordView r) {
      decode(r);
      if (events.eventCount() >= MAX_EVENTS_PER_PARTIAL) {
        events.output(RunReport.empty(), this);
      }
      if (syns.count() >= MAX_SYNS_PER_FLUSH) {
        outputSyns();
      }
    }

    @Override
    public void partial(int shard, DnsPartial partial) {
      output.accept(KV.of(shard, partial));
    }

    @Override
    public void srvPartial(int shard, DnsPartial partial) {
      context.output(SRV_EVENTS, KV.of(shard, partial));
    }

    @Override
    public void srvNames(List<DnsName> names) {
      context.output(SRV_NAMES, names);
    }

    private void outputSyns() {
      syns.drainTo(synShards, batch -> context.output(SYNS, batch));
    }

    @Override
    public void finish() {
      events.output(finishReport(), this);
      if (syns.count() > 0) {
        outputSyns();
      }
    }

    @Override
    protected void openingSyn(
        long clientHigh,
        long clientLow,
        long serverHigh,
        long serverLow,
        int port,
        int clientPort,
        long isn,
        long timeMicros) {
      syns.add(clientHigh, clientLow, serverHigh, serverLow, port, clientPort, isn, timeMicros);
    }

    @Override
    protected void tcpDnsSegment(TcpDnsSegment segment) {
      context.output(TCP_DNS_SEGMENTS, KV.of(timelineShards.of(segment.stream()), segment));
    }

    @Override
    protected void dnsEvent(PlacedDnsEvent event) {
      events.add(event);
    }
  }
}
