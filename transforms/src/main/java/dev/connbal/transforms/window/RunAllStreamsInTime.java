package dev.connbal.transforms.window;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.wire.RunReportCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;

/**
 * The windowed analysis of the all-streams mode (-a) after pass 1 ({@link
 * TimedEventsParser#allStreams}), three keyed stages in capture-time order:
 *
 * <ol>
 *   <li>{@code DnsPairs}: the client shards' timelines over the DNS events ({@link
 *       RunShardTimelines#withNewPairs}), for each (client, backend) pair's first appearance;
 *   <li>{@code TrackStreams}: per stream shard (unordered pairs of addresses), the pairs of both
 *       orientations and the TCP packets between them through an {@link
 *       dev.connbal.transforms.count.IncrementalStreamTracker} ({@link TrackStreamsFn}); each
 *       connection leaves at its first counted packet as an attempt of its client;
 *   <li>{@code ShardTimelines}: the client shards' timelines again, over the DNS events and those
 *       attempts, which make the rows exactly as SYN attempts do (#dns, the ports that come later,
 *       the {@code ?} rows).
 * </ol>
 *
 * <p>The DNS rules run twice because the rows need the connections' ports and the connections need
 * the pairs: a timeline that gave both would feed itself. The report's timeline counts (responses
 * without a query, late DNS packets) are the first run's, and its late packets also the tracker's
 * late TCP packets; so are the late-packet metrics ({@link RunShardTimelines#withoutLateMetrics}
 * for the second run, whose late DNS events the first counted and whose late attempts come from the
 * trackers' late packets).
 */
public final class RunAllStreamsInTime extends PTransform<PCollectionTuple, PCollectionTuple> {
  /** The input's DNS events, keyed by client shard, as {@link RunShardTimelines} takes them. */
  public static final TupleTag<KV<Integer, TimedEvent>> DNS_EVENTS =
      new TupleTag<>("allStreamsDnsEvents") {};

  /** The input's TCP packets, keyed by stream shard ({@link TimedEventsParser#STREAM_PACKETS}). */
  public static final TupleTag<KV<Integer, StreamEvent>> STREAM_PACKETS =
      TimedEventsParser.STREAM_PACKETS;

  /** The rows, in fixed windows of capture time, as {@link RunShardTimelines#ROWS}. */
  public static final TupleTag<ConnBalRow> ROWS = RunShardTimelines.ROWS;

  /** The timelines' and the trackers' counts for the run report. */
  public static final TupleTag<RunReport> REPORT = RunShardTimelines.REPORT;

  /** The name of the distribution of a stream shard's encoded tracker after each firing. */
  public static final String STATE_BYTES_METRIC = TrackStreamsFn.STATE_BYTES_NAME;

  private final Duration window;
  private final Shards shards;

  private RunAllStreamsInTime(Duration window, Shards shards) {
    this.window = window;
    this.shards = shards;
  }

  /**
   * Windows of {@code window}; client and stream shards of {@code shards}, the shards the input was
   * keyed by.
   */
  public static RunAllStreamsInTime of(Duration window, Shards shards) {
    checkArgument(
        window != null && window.getMillis() > 0, "window must be positive, got %s", window);
    checkArgument(shards != null, "shards must not be null");
    return new RunAllStreamsInTime(window, shards);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PCollection<KV<Integer, TimedEvent>> dnsEvents = input.get(DNS_EVENTS);
    PCollection<KV<Integer, StreamEvent>> packets = input.get(STREAM_PACKETS);
    PCollectionTuple pairs =
        dnsEvents.apply("DnsPairs", RunShardTimelines.of(window).withNewPairs(shards));
    PCollection<KV<Integer, StreamEvent>> streamEvents =
        PCollectionList.of(pairs.get(RunShardTimelines.NEW_PAIRS))
            .and(
                packets
                    .apply(
                        "PacketCaptureTime",
                        ParDo.of(new CaptureTimeFn<Integer, StreamEvent>(StreamEvent::timeMicros)))
                    .setCoder(KvCoder.of(VarIntCoder.of(), StreamEventCoder.of())))
            .apply("PairsAndPackets", Flatten.pCollections());
    boolean bounded = packets.isBounded() == PCollection.IsBounded.BOUNDED;
    PCollectionTuple tracked =
        streamEvents.apply(
            "TrackStreams",
            ParDo.of(new TrackStreamsFn(window, bounded, shards))
                .withOutputTags(
                    TrackStreamsFn.CONNECTIONS, TupleTagList.of(TrackStreamsFn.REPORT)));
    tracked.get(TrackStreamsFn.CONNECTIONS).setCoder(dnsEvents.getCoder());
    tracked.get(TrackStreamsFn.REPORT).setCoder(RunReportCoder.of());
    PCollectionTuple rows =
        PCollectionList.of(dnsEvents)
            .and(tracked.get(TrackStreamsFn.CONNECTIONS))
            .apply("DnsAndConnections", Flatten.pCollections())
            .apply("ShardTimelines", RunShardTimelines.of(window).withoutLateMetrics());
    PCollection<RunReport> report =
        PCollectionList.of(pairs.get(RunShardTimelines.REPORT))
            .and(tracked.get(TrackStreamsFn.REPORT))
            .apply("TimelineAndTrackerReports", Flatten.pCollections());
    return PCollectionTuple.of(ROWS, rows.get(RunShardTimelines.ROWS)).and(REPORT, report);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("window", window).withLabel("Window of capture time"))
        .add(DisplayData.item("shardCount", shards.count()).withLabel("Client and stream shards"));
  }
}
