package dev.connbal.transforms.window;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Runs one client shard's {@link ShardTimeline} in keyed state: the runner hands the shard's events
 * over sorted by time once the watermark has passed them ({@link RequiresTimeSortedInput}), and an
 * event-time timer tells the timeline when time has passed the events it holds or the end of its
 * open window. Each window's rows leave stamped with the window's start; the timer holds the output
 * watermark at the start of the earliest window the timeline may still output, so that a window is
 * complete downstream only once every shard has output it.
 *
 * <p>Rows of a window already output (a late SYN's) leave late, on purpose: the document of their
 * window is then made again with them. Outputs are therefore stamped earlier than the input or
 * timer at hand, which the skew allowance below permits.
 */
final class ShardTimelineFn extends DoFn<KV<Integer, TimedEvent>, ConnBalRow> {
  static final TupleTag<ConnBalRow> ROWS = new TupleTag<>("windowRows") {};
  static final TupleTag<RunReport> REPORT = new TupleTag<>("timelineReports") {};

  static final Counter LATE_SYNS = Metrics.counter(ConnBalMetrics.NAMESPACE, "lateSyns");
  static final Counter LATE_DNS_EVENTS = Metrics.counter(ConnBalMetrics.NAMESPACE, "lateDnsEvents");

  private final long windowMicros;
  private final long horizonMicros;

  @StateId("timeline")
  private final StateSpec<ValueState<ShardTimeline>> timelineSpec =
      StateSpecs.value(SerializableCoder.of(ShardTimeline.class));

  @TimerId("advance")
  private final TimerSpec advanceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /** Windows of {@code window}, whose rows may change until {@code lateness} after their end. */
  ShardTimelineFn(Duration window, Duration lateness) {
    this.windowMicros = window.getMillis() * 1000;
    this.horizonMicros = lateness.getMillis() * 1000;
  }

  @RequiresTimeSortedInput
  @ProcessElement
  public void process(
      @Element KV<Integer, TimedEvent> event,
      @StateId("timeline") ValueState<ShardTimeline> state,
      @TimerId("advance") Timer advance,
      MultiOutputReceiver out) {
    ShardTimeline timeline = read(state);
    long lateSyns = timeline.lateSyns();
    long lateDnsEvents = timeline.lateDnsEvents();
    emit(timeline.accept(event.getValue()), out);
    LATE_SYNS.inc(timeline.lateSyns() - lateSyns);
    LATE_DNS_EVENTS.inc(timeline.lateDnsEvents() - lateDnsEvents);
    schedule(timeline, advance);
    state.write(timeline);
  }

  @OnTimer("advance")
  public void onAdvance(
      OnTimerContext context,
      @StateId("timeline") ValueState<ShardTimeline> state,
      @TimerId("advance") Timer advance,
      MultiOutputReceiver out) {
    ShardTimeline timeline = read(state);
    emit(timeline.advanceTo(context.fireTimestamp().getMillis() * 1000), out);
    schedule(timeline, advance);
    state.write(timeline);
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
            Instant.ofEpochMilli(0));
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

  private static void emit(List<ShardTimeline.WindowRows> windows, MultiOutputReceiver out) {
    for (ShardTimeline.WindowRows w : windows) {
      Instant start = Instant.ofEpochMilli(Math.floorDiv(w.startMicros(), 1000));
      for (ConnBalRow row : w.rows()) {
        out.get(ROWS).outputWithTimestamp(row, start);
      }
    }
  }

  /** Wakes the timeline when it next has something to do, holding back its earliest window. */
  private static void schedule(ShardTimeline timeline, Timer advance) {
    long deadline = timeline.nextDeadlineMicros();
    if (deadline == Long.MAX_VALUE) {
      advance.clear();
      return;
    }
    long hold = timeline.earliestOpenWindowMicros();
    advance
        .withOutputTimestamp(Instant.ofEpochMilli(Math.floorDiv(hold, 1000)))
        .set(Instant.ofEpochMilli(Math.floorDiv(deadline + 999, 1000)));
  }
}
