package dev.connbal.transforms.window;

import static org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Preconditions.checkArgument;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.wire.RunReportCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The windowed analysis after pass 1 ({@link TimedEventsParser}): each event stamped with its
 * capture time, every shard's {@link ShardTimeline} in keyed state ({@link ShardTimelineFn}), and
 * its rows in tumbling windows of capture time aligned to the epoch, each window's document made
 * once every shard has passed its end and made again whole when late rows arrive ({@link #ROWS});
 * the timelines' part of the run report on {@link #REPORT}.
 */
public final class RunShardTimelines
    extends PTransform<PCollection<KV<Integer, TimedEvent>>, PCollectionTuple> {
  /** The rows, in fixed windows of capture time; a key's rows within a window add up. */
  public static final TupleTag<ConnBalRow> ROWS = ShardTimelineFn.ROWS;

  /** The timelines' counts for the run report (responses without a query, late packets). */
  public static final TupleTag<RunReport> REPORT = ShardTimelineFn.REPORT;

  /**
   * With {@link #withNewPairs}: each (client, backend) pair when DNS first lists it, keyed by its
   * stream shard, stamped with that time.
   */
  public static final TupleTag<KV<Integer, StreamEvent>> NEW_PAIRS = ShardTimelineFn.PAIRS;

  /**
   * The name of the distribution (namespace {@link
   * dev.connbal.transforms.report.ConnBalMetrics#NAMESPACE}) of the encoded size of a shard's
   * timeline after each firing of its timer: about one a window over a stream, one at the end of
   * captures read at once.
   */
  public static final String STATE_BYTES_METRIC = ShardTimelineFn.STATE_BYTES_NAME;

  /**
   * How long after a window's end its document can still be made again with late rows; later ones
   * are dropped by the runner and counted in its metrics.
   */
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.standardHours(1);

  /** The allowed lateness of the windows of captures read at once: until the run ends. */
  private static final Duration ANY_LATENESS = Duration.standardDays(365L * 100);

  private final Duration window;
  private final Duration allowedLateness;
  private final @Nullable Shards streamShards;
  private final boolean countsLate;

  private RunShardTimelines(
      Duration window,
      Duration allowedLateness,
      @Nullable Shards streamShards,
      boolean countsLate) {
    this.window = window;
    this.allowedLateness = allowedLateness;
    this.streamShards = streamShards;
    this.countsLate = countsLate;
  }

  /** Windows of {@code window} (a whole number of milliseconds, at least one). */
  public static RunShardTimelines of(Duration window) {
    checkArgument(
        window != null && window.getMillis() > 0, "window must be positive, got %s", window);
    return new RunShardTimelines(window, DEFAULT_ALLOWED_LATENESS, null, true);
  }

  /** How long after a window's end late rows still make its document again. */
  public RunShardTimelines withAllowedLateness(Duration lateness) {
    checkArgument(
        lateness != null && !lateness.isShorterThan(Duration.ZERO),
        "allowed lateness must not be negative, got %s",
        lateness);
    return new RunShardTimelines(window, lateness, streamShards, countsLate);
  }

  /**
   * Also each pair when DNS first lists it, on {@link #NEW_PAIRS}, by its shard of {@code shards}.
   */
  public RunShardTimelines withNewPairs(Shards shards) {
    checkArgument(shards != null, "shards must not be null");
    return new RunShardTimelines(window, allowedLateness, shards, countsLate);
  }

  /**
   * Late events are left out of the metrics: for a run over events that another stage counts
   * already (the all-streams road's second run, {@link RunAllStreamsInTime}), whose report is not
   * the run's either. Its late events would be counted twice.
   */
  public RunShardTimelines withoutLateMetrics() {
    return new RunShardTimelines(window, allowedLateness, streamShards, false);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<Integer, TimedEvent>> events) {
    boolean bounded = events.isBounded() == PCollection.IsBounded.BOUNDED;
    Duration lateness = bounded ? ANY_LATENESS : allowedLateness;
    PCollectionTuple out =
        events
            .apply(
                "CaptureTime",
                ParDo.of(new CaptureTimeFn<Integer, TimedEvent>(TimedEvent::timeMicros)))
            .setCoder(KvCoder.of(VarIntCoder.of(), TimedEventCoder.of()))
            .apply(
                "ShardTimelines",
                ParDo.of(new ShardTimelineFn(window, lateness, bounded, streamShards, countsLate))
                    .withOutputTags(ROWS, TupleTagList.of(REPORT).and(NEW_PAIRS)));
    PCollection<ConnBalRow> rows = out.get(ROWS);
    try {
      rows.setCoder(rows.getPipeline().getSchemaRegistry().getSchemaCoder(ConnBalRow.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("ConnBalRow has a @DefaultSchema", e);
    }
    out.get(REPORT).setCoder(RunReportCoder.of());
    out.get(NEW_PAIRS).setCoder(KvCoder.of(VarIntCoder.of(), StreamEventCoder.of()));
    PCollection<ConnBalRow> windowed =
        rows.apply(
            "Windows",
            Window.<ConnBalRow>into(FixedWindows.of(window))
                .triggering(
                    AfterWatermark.pastEndOfWindow()
                        .withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(lateness)
                .accumulatingFiredPanes());
    return PCollectionTuple.of(ROWS, windowed)
        .and(REPORT, out.get(REPORT))
        .and(NEW_PAIRS, out.get(NEW_PAIRS));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder
        .add(DisplayData.item("window", window).withLabel("Window of capture time"))
        .add(DisplayData.item("allowedLateness", allowedLateness).withLabel("Allowed lateness"));
  }
}
