package dev.connbal.transforms.window;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.timeline.BackendFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TimestampedValue.TimestampedValueCoder;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.ByteStreams;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.io.CountingOutputStream;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Runs one client shard's {@link ShardTimeline} in keyed state. Events wait in a bag until an
 * event-time timer says that time has passed them; then they go to the timeline in their order
 * ({@link TimedEvent#ORDER}), and the timeline tells when it next needs to hear that time has
 * passed (the end of its open window). Each window's rows leave stamped with the window's start;
 * the timer holds the output watermark at the start of the earliest window the shard may still
 * output, so that a window is complete downstream only once every shard has output it.
 *
 * <p>When time has passed an event is only known up to the timer's own time: over a stream the
 * timer is set for the end of the earliest waiting event's window, when that window can be output
 * (one firing per window, however many events it has); over captures read at once, one firing at
 * the end takes all ({@link WaitingEvents#wakeFor}). (Beam's time-sorted input would do the
 * waiting, but it waits the whole allowed lateness before it hands anything over. Beam's {@code
 * OrderedListState} would do the sorting, but Beam 2.62's Flink runner keeps one element per
 * millisecond in it, and a shard has many events in one millisecond: apache/beam#39782. A bag keeps
 * every event on every runner.)
 *
 * <p>An event that arrives after time has passed it is late: it still goes to the timeline, which
 * counts it and, for a SYN, outputs the rows of its window again. Such rows, and the rows of a
 * window that a port coming later changes, leave late on purpose: the document of their window is
 * then made again. They are stamped earlier than the input or timer at hand, which the skew
 * allowance below permits.
 */
final class ShardTimelineFn extends DoFn<KV<Integer, TimedEvent>, ConnBalRow> {
  static final TupleTag<ConnBalRow> ROWS = new TupleTag<>("windowRows") {};
  static final TupleTag<RunReport> REPORT = new TupleTag<>("timelineReports") {};

  /**
   * Each (client, backend) pair when DNS first lists it, keyed by its stream shard and stamped with
   * that time: what an all-streams run tracks streams against ({@link TrackStreamsFn}).
   */
  static final TupleTag<KV<Integer, StreamEvent>> PAIRS = new TupleTag<>("newPairs") {};

  static final Counter LATE_SYNS = Metrics.counter(ConnBalMetrics.NAMESPACE, "lateSyns");
  static final Counter LATE_DNS_EVENTS = Metrics.counter(ConnBalMetrics.NAMESPACE, "lateDnsEvents");

  /**
   * The size of a shard's timeline in state, encoded as its coder writes it, after each firing of
   * the timer (over a stream, about one per window): what a long watch holds, which must not grow
   * with the length of the watch (docs/ARCHITECTURE.md).
   */
  static final String STATE_BYTES_NAME = "timelineStateBytes";

  static final Distribution STATE_BYTES =
      Metrics.distribution(ConnBalMetrics.NAMESPACE, STATE_BYTES_NAME);

  private final long windowMicros;
  private final long horizonMicros;
  private final boolean boundedInput;
  private final @Nullable Shards streamShards;
  private final boolean countsLate;

  /** Events, each with its time, that time has not passed yet. */
  @StateId("waiting")
  private final StateSpec<BagState<TimestampedValue<TimedEvent>>> waitingSpec =
      StateSpecs.bag(TimestampedValueCoder.of(TimedEventCoder.of()));

  @StateId("timeline")
  private final StateSpec<ValueState<ShardTimeline>> timelineSpec =
      StateSpecs.value(ShardTimelineCoder.of());

  /** When the timer is set for, in milliseconds; unset when it is not set. */
  @StateId("wakeAt")
  private final StateSpec<ValueState<Long>> wakeAtSpec = StateSpecs.value(VarLongCoder.of());

  /** The timer's output timestamp, in milliseconds: the earliest window the shard may output. */
  @StateId("holdAt")
  private final StateSpec<ValueState<Long>> holdAtSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("advance")
  private final TimerSpec advanceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /**
   * Windows of {@code window}, whose rows may change until {@code lateness} after their end, over a
   * stream ({@code boundedInput} false) or captures read at once; each new pair to {@link #PAIRS},
   * by its shard of {@code streamShards} (when not null); late events to the metrics {@link
   * #LATE_SYNS} and {@link #LATE_DNS_EVENTS} only when {@code countsLate} (false where another
   * stage counts them, {@link RunShardTimelines#withoutLateMetrics}).
   */
  ShardTimelineFn(
      Duration window,
      Duration lateness,
      boolean boundedInput,
      @Nullable Shards streamShards,
      boolean countsLate) {
    this.windowMicros = window.getMillis() * 1000;
    this.horizonMicros = lateness.getMillis() * 1000;
    this.boundedInput = boundedInput;
    this.streamShards = streamShards;
    this.countsLate = countsLate;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, TimedEvent> event,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      @StateId("waiting") BagState<TimestampedValue<TimedEvent>> waiting,
      @StateId("timeline") ValueState<ShardTimeline> state,
      @StateId("wakeAt") ValueState<Long> wakeAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @TimerId("advance") Timer advance) {
    waiting.add(TimestampedValue.of(event.getValue(), timestamp));
    long wake = wakeFor(timestamp, window);
    Long set = wakeAt.read();
    long at = set == null ? wake : Math.min(set, wake);
    Long held = holdAt.read();
    long hold = Math.min(held == null ? Long.MAX_VALUE : held, windowStartMillis(timestamp));
    if (set == null || at != set || held == null || hold != held) {
      hold = Math.min(hold, read(state).earliestOpenWindowMicros() / 1000);
      WaitingEvents.setTimer(advance, wakeAt, holdAt, at, hold);
    }
  }

  @OnTimer("advance")
  public void onAdvance(
      OnTimerContext context,
      BoundedWindow window,
      @StateId("waiting") BagState<TimestampedValue<TimedEvent>> waiting,
      @StateId("timeline") ValueState<ShardTimeline> state,
      @StateId("wakeAt") ValueState<Long> wakeAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @TimerId("advance") Timer advance,
      MultiOutputReceiver out) {
    Instant now = context.fireTimestamp();
    ShardTimeline timeline = read(state);
    long lateSyns = timeline.lateSyns();
    long lateDnsEvents = timeline.lateDnsEvents();
    WaitingEvents.Passed<TimedEvent> time =
        WaitingEvents.takePassed(waiting, now, TimedEvent.ORDER);
    for (TimestampedValue<TimedEvent> e : time.passed()) {
      emit(timeline.accept(e.getValue()), out);
      emitNewPairs(timeline, out);
    }
    emit(timeline.advanceTo(now.getMillis() * 1000), out);
    emitNewPairs(timeline, out);
    if (countsLate) {
      LATE_SYNS.inc(timeline.lateSyns() - lateSyns);
      LATE_DNS_EVENTS.inc(timeline.lateDnsEvents() - lateDnsEvents);
    }

    long next = Long.MAX_VALUE;
    long hold = timeline.earliestOpenWindowMicros() / 1000;
    Instant first = time.earliestLeft();
    if (first != null) {
      next = wakeFor(first, window);
      hold = Math.min(hold, windowStartMillis(first));
    }
    long deadline = timeline.nextDeadlineMicros();
    if (deadline != Long.MAX_VALUE) {
      next = Math.min(next, Math.floorDiv(deadline + 999, 1000));
    }
    wakeAt.clear();
    holdAt.clear();
    if (next != Long.MAX_VALUE) {
      WaitingEvents.setTimer(advance, wakeAt, holdAt, next, hold);
    }
    state.write(timeline);
    STATE_BYTES.update(encodedSize(timeline));
  }

  private static long encodedSize(ShardTimeline timeline) {
    CountingOutputStream size = new CountingOutputStream(ByteStreams.nullOutputStream());
    try {
      ShardTimelineCoder.of().encode(timeline, size);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a shard timeline", e);
    }
    return size.getCount();
  }

  /** The end of a bounded input: what the timeline counted goes to the run report. */
  @OnWindowExpiration
  public void onExpiration(
      @StateId("timeline") ValueState<ShardTimeline> state, MultiOutputReceiver out) {
    ShardTimeline timeline = state.read();
    if (timeline == null) {
      return;
    }
    emit(timeline.advanceTo(Long.MAX_VALUE), out);
    out.get(REPORT)
        .outputWithTimestamp(
            RunReport.builder()
                .setResponsesWithoutQuery(timeline.unmatchedResponses())
                .setLatePackets(timeline.lateSyns() + timeline.lateDnsEvents())
                .build(),
            BoundedWindow.TIMESTAMP_MIN_VALUE);
  }

  @Override
  @SuppressWarnings("deprecation") // the documented way to output earlier than the input
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }

  private ShardTimeline read(ValueState<ShardTimeline> state) {
    ShardTimeline timeline = state.read();
    return timeline != null ? timeline : new ShardTimeline(windowMicros, horizonMicros);
  }

  private long wakeFor(Instant t, BoundedWindow window) {
    return WaitingEvents.wakeFor(t, window, boundedInput, windowMicros / 1000);
  }

  /** The start of the window of {@code t}, in milliseconds. */
  private long windowStartMillis(Instant t) {
    long windowMillis = windowMicros / 1000;
    return Math.floorDiv(t.getMillis(), windowMillis) * windowMillis;
  }

  private void emitNewPairs(ShardTimeline timeline, MultiOutputReceiver out) {
    for (BackendFacts pair : timeline.drainNewPairs()) {
      if (streamShards != null) {
        out.get(PAIRS)
            .outputWithTimestamp(
                KV.of(
                    StreamEvent.shardOf(streamShards, pair.client(), pair.backend()),
                    StreamEvent.pairKnown(pair.client(), pair.backend(), pair.firstSeenMicros())),
                Instant.ofEpochMilli(Math.floorDiv(pair.firstSeenMicros(), 1000)));
      }
    }
  }

  private static void emit(List<ShardTimeline.WindowRows> windows, MultiOutputReceiver out) {
    for (ShardTimeline.WindowRows w : windows) {
      Instant start = Instant.ofEpochMilli(Math.floorDiv(w.startMicros(), 1000));
      for (ConnBalRow row : w.rows()) {
        out.get(ROWS).outputWithTimestamp(row, start);
      }
    }
  }
}
