package dev.connbal.transforms.window;

import dev.connbal.snoop.SnoopRecordParser;
import dev.connbal.snoop.SnoopRecordView;
import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.DnsRecord;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.PlacedDnsEvent;
import dev.connbal.transforms.events.RangeEvents;
import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import dev.connbal.transforms.timeline.SrvLearner;
import dev.connbal.transforms.wire.RunReportCoder;
import dev.connbal.transforms.wire.TcpDnsSegmentCoder;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Pass 1 of a windowed run: every DNS event and opening SYN of a range, one element each, keyed by
 * the shard of its client, whose timeline ({@link ShardTimeline}) runs them in capture-time order.
 *
 * <p>The SRV knowledge is the one thing clients share, and a shard sees only its own clients: so
 * the SRV queries and the responses with SRV answers of every client also go to every other shard,
 * as {@link TimedEvent.Kind#SRV_LEARNING} events, from which each shard matches and learns as the
 * one timeline of a run without windows does. (A response with SRV answers to an A query, which a
 * conforming server never sends, teaches only its own client's shard: its query was not sent on.)
 *
 * <p>The TCP segments that may carry DNS leave one each on {@link #TCP_DNS_SEGMENTS}, to be put
 * back together per direction. The range's part of the run report leaves on {@link #REPORT}.
 *
 * <p>In the all-streams mode (-a, {@link #allStreams}) opening SYNs are not sent to the timelines:
 * every TCP packet leaves instead on {@link #STREAM_PACKETS}, keyed by the stream shard of its two
 * addresses, for the streams to be tracked ({@link TrackStreamsFn}).
 */
public final class TimedEventsParser extends SnoopRecordParser<KV<Integer, TimedEvent>> {
  private static final long serialVersionUID = 1L;

  /** The additional output of each range's part of the run report. */
  public static final TupleTag<RunReport> REPORT = new TupleTag<>("rangeReports") {};

  /**
   * The additional output of the TCP segments to or from port 53 (SYNs and those with payload),
   * keyed by their direction ({@link TcpDnsSegment#directionKey}): {@link ReassembleTcpDnsInTimeFn}
   * puts their messages back together as time passes them.
   */
  public static final TupleTag<KV<String, TcpDnsSegment>> TCP_DNS_SEGMENTS =
      new TupleTag<>("windowTcpDnsSegments") {};

  /** The additional output of every TCP packet in the all-streams mode. */
  public static final TupleTag<KV<Integer, StreamEvent>> STREAM_PACKETS =
      new TupleTag<>("windowStreamPackets") {};

  private final @Nullable String nameFilter;
  private final Shards shards;
  private final boolean allStreams;

  public TimedEventsParser(@Nullable String nameFilter, Shards shards) {
    this(nameFilter, shards, false);
  }

  private TimedEventsParser(@Nullable String nameFilter, Shards shards, boolean allStreams) {
    this.nameFilter = nameFilter;
    this.shards = shards;
    this.allStreams = allStreams;
  }

  /**
   * The parser of the all-streams mode: every TCP packet to {@link #STREAM_PACKETS} (keyed by
   * {@link StreamEvent#shardOf} of {@code shards}), no SYN to the timelines.
   */
  public static TimedEventsParser allStreams(@Nullable String nameFilter, Shards shards) {
    return new TimedEventsParser(nameFilter, shards, true);
  }

  @Override
  public Coder<KV<Integer, TimedEvent>> getOutputCoder() {
    return KvCoder.of(VarIntCoder.of(), TimedEventCoder.of());
  }

  @Override
  public Map<TupleTag<?>, Coder<?>> getAdditionalOutputs() {
    return Map.of(
        REPORT,
        RunReportCoder.of(),
        TCP_DNS_SEGMENTS,
        KvCoder.of(StringUtf8Coder.of(), TcpDnsSegmentCoder.of()),
        STREAM_PACKETS,
        KvCoder.of(VarIntCoder.of(), StreamEventCoder.of()));
  }

  @Override
  public RangeParser startRange(RangeContext context, Consumer<KV<Integer, TimedEvent>> output) {
    return new Collector(context, output);
  }

  /**
   * Sends {@code event}, made of {@code message}, to its client's shard, and when it is an SRV
   * query or a response with SRV answers to every other shard as well, to learn from (the class
   * comment). UDP and TCP messages alike.
   */
  static void route(
      DnsEvent event, DnsMessage message, Shards shards, Consumer<KV<Integer, TimedEvent>> output) {
    int own = shards.ofClient(event.query().clientIp());
    output.accept(KV.of(own, TimedEvent.dns(event, false)));
    boolean srv =
        event.isResponse() ? SrvLearner.carriesSrv(event) : message.questionType() == DnsRecord.SRV;
    if (srv) {
      TimedEvent learning = TimedEvent.dns(event, true);
      for (int shard = 0; shard < shards.count(); shard++) {
        if (shard != own) {
          output.accept(KV.of(shard, learning));
        }
      }
    }
  }

  /** The parse of one range. */
  private final class Collector extends RangeEvents implements RangeParser {
    private final RangeContext context;
    private final Consumer<KV<Integer, TimedEvent>> output;

    Collector(RangeContext context, Consumer<KV<Integer, TimedEvent>> output) {
      super(nameFilter, !allStreams);
      this.context = context;
      this.output = output;
    }

    @Override
    public void record(SnoopRecordView record) {
      decode(record);
    }

    @Override
    public void finish() {
      context.output(REPORT, finishReport());
    }

    @Override
    protected void dnsEvent(PlacedDnsEvent placed) {
      DnsEvent event = RangeEvents.event(placed);
      DnsMessage message = placed.message();
      route(event, message, shards, output);
    }

    @Override
    protected void tcpDnsSegment(TcpDnsSegment segment) {
      context.output(TCP_DNS_SEGMENTS, KV.of(segment.directionKey(), segment));
    }

    @Override
    protected void tcpPacket(
        long srcHigh,
        long srcLow,
        int srcPort,
        long dstHigh,
        long dstLow,
        int dstPort,
        int flags,
        long seq,
        SnoopRecordView r) {
      if (allStreams) {
        context.output(
            STREAM_PACKETS,
            KV.of(
                StreamEvent.shardOf(shards, srcHigh, srcLow, dstHigh, dstLow),
                StreamEvent.packet(
                    r.timestampMicros(),
                    IpAddress.of(srcHigh, srcLow),
                    srcPort,
                    IpAddress.of(dstHigh, dstLow),
                    dstPort,
                    flags,
                    seq,
                    r.file(),
                    r.recordOffset())));
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
      IpAddress client = IpAddress.of(clientHigh, clientLow);
      output.accept(
          KV.of(
              shards.ofClient(client),
              TimedEvent.syn(
                  timeMicros,
                  client,
                  IpAddress.of(serverHigh, serverLow),
                  port,
                  SynBatch.attempt(clientPort, isn))));
    }
  }
}
