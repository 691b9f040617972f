package dev.connbal.transforms.window;

import dev.connbal.transforms.count.IncrementalStreamTracker;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Runs one stream shard's {@link IncrementalStreamTracker} in keyed state, as {@link
 * ShardTimelineFn} runs a client shard's timeline: events wait in a bag until an event-time timer
 * says that time has passed them (over a stream at the end of the earliest waiting event's window,
 * over captures read at once at the end of the global window), then go to the tracker in {@link
 * StreamEvent#ORDER}. Each counted connection leaves as an opening SYN of a new attempt ({@link
 * TimedEvent#syn}) for its client's shard timeline, stamped with the time of its first counted
 * packet; the timer holds the output watermark at the earliest waiting event, so the timelines take
 * every connection in time. A packet that arrives after time has passed it is late: it goes to the
 * tracker at once, and a connection it counts leaves late, to be counted in its own window.
 */
final class TrackStreamsFn extends DoFn<KV<Integer, StreamEvent>, KV<Integer, TimedEvent>> {
  static final TupleTag<KV<Integer, TimedEvent>> CONNECTIONS = new TupleTag<>("countedStreams") {};
  static final TupleTag<RunReport> REPORT = new TupleTag<>("streamReports") {};

  static final Counter LATE_PACKETS =
      Metrics.counter(ConnBalMetrics.NAMESPACE, "lateStreamPackets");

  /** The encoded size of a shard's tracker after each firing of its timer. */
  static final String STATE_BYTES_NAME = "streamStateBytes";

  static final Distribution STATE_BYTES =
      Metrics.distribution(ConnBalMetrics.NAMESPACE, STATE_BYTES_NAME);

  private final long windowMillis;
  private final boolean boundedInput;
  private final Shards clientShards;

  @StateId("waiting")
  private final StateSpec<BagState<TimestampedValue<StreamEvent>>> waitingSpec =
      StateSpecs.bag(TimestampedValueCoder.of(StreamEventCoder.of()));

  @StateId("tracker")
  private final StateSpec<ValueState<IncrementalStreamTracker>> trackerSpec =
      StateSpecs.value(StreamTrackerCoder.of());

  /** When the timer is set for, in milliseconds; unset when it is not set. */
  @StateId("wakeAt")
  private final StateSpec<ValueState<Long>> wakeAtSpec = StateSpecs.value(VarLongCoder.of());

  /** The timer's output timestamp, in milliseconds: the earliest waiting event. */
  @StateId("holdAt")
  private final StateSpec<ValueState<Long>> holdAtSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("advance")
  private final TimerSpec advanceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /** Firing once a {@code window} over a stream; connections keyed by {@code clientShards}. */
  TrackStreamsFn(Duration window, boolean boundedInput, Shards clientShards) {
    this.windowMillis = window.getMillis();
    this.boundedInput = boundedInput;
    this.clientShards = clientShards;
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, StreamEvent> event,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      @StateId("waiting") BagState<TimestampedValue<StreamEvent>> waiting,
      @StateId("wakeAt") ValueState<Long> wakeAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @TimerId("advance") Timer advance) {
    Long set = wakeAt.read();
    waiting.add(TimestampedValue.of(event.getValue(), timestamp));
    long wake = wakeFor(timestamp, window);
    long at = set == null ? wake : Math.min(set, wake);
    Long held = holdAt.read();
    long hold = Math.min(held == null ? Long.MAX_VALUE : held, timestamp.getMillis());
    if (set == null || at != set || held == null || hold != held) {
      WaitingEvents.setTimer(advance, wakeAt, holdAt, at, hold);
    }
  }

  @OnTimer("advance")
  public void onAdvance(
      OnTimerContext context,
      BoundedWindow window,
      @StateId("waiting") BagState<TimestampedValue<StreamEvent>> waiting,
      @StateId("tracker") ValueState<IncrementalStreamTracker> state,
      @StateId("wakeAt") ValueState<Long> wakeAt,
      @StateId("holdAt") ValueState<Long> holdAt,
      @TimerId("advance") Timer advance,
      MultiOutputReceiver out) {
    Instant now = context.fireTimestamp();
    IncrementalStreamTracker tracker = read(state);
    long late = tracker.latePackets();
    WaitingEvents.Passed<StreamEvent> time =
        WaitingEvents.takePassed(waiting, now, StreamEvent.ORDER);
    for (TimestampedValue<StreamEvent> e : time.passed()) {
      run(tracker, e.getValue(), out);
    }
    tracker.advanceTo(now.getMillis() * 1000);
    LATE_PACKETS.inc(tracker.latePackets() - late);

    wakeAt.clear();
    holdAt.clear();
    Instant first = time.earliestLeft();
    if (first != null) {
      long next = wakeFor(first, window);
      WaitingEvents.setTimer(advance, wakeAt, holdAt, next, first.getMillis());
    }
    state.write(tracker);
    STATE_BYTES.update(encodedSize(tracker));
  }

  /** The end of the input: the late packets go to the run report. */
  @OnWindowExpiration
  public void onExpiration(
      @StateId("tracker") ValueState<IncrementalStreamTracker> state, MultiOutputReceiver out) {
    IncrementalStreamTracker tracker = state.read();
    if (tracker != null) {
      out.get(REPORT)
          .outputWithTimestamp(
              RunReport.builder().setLatePackets(tracker.latePackets()).build(),
              BoundedWindow.TIMESTAMP_MIN_VALUE);
    }
  }

  @Override
  @SuppressWarnings("deprecation") // the documented way to output earlier than the input
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }

  /** Runs {@code e}; a connection it counts leaves for its client's timeline. */
  private void run(IncrementalStreamTracker tracker, StreamEvent e, MultiOutputReceiver out) {
    if (e.pair()) {
      tracker.pairKnown(e.srcIp(), e.dstIp(), e.timeMicros());
      return;
    }
    IncrementalStreamTracker.Counted c =
        tracker.packet(
            e.timeMicros(), e.srcIp(), e.srcPort(), e.dstIp(), e.dstPort(), e.flags(), e.seq());
    if (c != null) {
      out.get(CONNECTIONS)
          .outputWithTimestamp(
              KV.of(
                  clientShards.ofClient(c.client()),
                  TimedEvent.syn(c.timeMicros(), c.client(), c.backend(), c.port(), c.id())),
              Instant.ofEpochMilli(Math.floorDiv(c.timeMicros(), 1000)));
    }
  }

  private static IncrementalStreamTracker read(ValueState<IncrementalStreamTracker> state) {
    IncrementalStreamTracker tracker = state.read();
    return tracker != null ? tracker : new IncrementalStreamTracker();
  }

  private static long encodedSize(IncrementalStreamTracker tracker) {
    CountingOutputStream size = new CountingOutputStream(ByteStreams.nullOutputStream());
    try {
      StreamTrackerCoder.of().encode(tracker, size);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a stream tracker", e);
    }
    return size.getCount();
  }

  private long wakeFor(Instant t, BoundedWindow window) {
    return WaitingEvents.wakeFor(t, window, boundedInput, windowMillis);
  }
}
