package dev.connbal.transforms.window;

import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.tcpdns.DirectionMessages;
import dev.connbal.transforms.tcpdns.DnsStreamReassembler;
import dev.connbal.transforms.tcpdns.ReassembleTcpDnsFn;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import dev.connbal.transforms.wire.TcpDnsSegmentCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
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
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * DNS over TCP on the windowed road: one direction of one TCP stream per key ({@link
 * TcpDnsSegment#directionKey}), its messages put back together by {@link DnsStreamReassembler} as
 * time passes its segments, each message leaving as the {@link TimedEvent}s a UDP message would be
 * ({@link TimedEventsParser#route}), placed where the batch road places it ({@link
 * ReassembleTcpDnsFn#toEvent}): at the segment that completes it.
 *
 * <p>Why the segments wait for time: the reassembler needs them in capture order (the first
 * captured copy of a byte wins, a message takes the latest segment it has bytes of), and a
 * direction's segments read from several captures arrive in any order. An event-time timer feeds
 * those that time has passed, sorted, so that what a direction yields is what the batch road yields
 * from the same segments. A segment that arrives after time has passed a later segment of its
 * direction is late: counted in the run report's late packets and left out, as a late DNS message
 * is on the timeline; so is a segment of a direction seen without its SYN that would move its start
 * (its lowest sequence number) below the segments fed in earlier firings, once they yielded
 * messages.
 *
 * <p>Why the messages are in time for the timelines: a message leaves when the segment that
 * completes it is fed, with that segment's time, and the timer holds this step's output watermark
 * at the earliest segment still waiting; so the timelines, which wait for the watermark, have not
 * passed it. A hole can make a message come later: the end of the direction, or a segment that
 * reaches past the reassembler's window, turns it into a gap, and the messages behind it are read
 * then, each with the time of its own completing segment. While the reassembler holds bytes behind
 * a hole, the hold stays at the direction's earliest segment.
 *
 * <p>State is bounded per direction: its segments, kept until the direction is forgotten, {@link
 * #IDLE} of capture time after its last segment (the end of the direction: what is left in the
 * holes is lost, as at the end of a capture in the batch road). Each firing reassembles the
 * direction's segments from the first: the reassembler's yield over some segments is the beginning
 * of its yield over those and more ({@link DnsStreamReassembler#reassemble(List,
 * DnsStreamReassembler.Sink, boolean)}), so the messages already sent are skipped by their count.
 */
public final class ReassembleTcpDnsInTimeFn
    extends DoFn<KV<String, TcpDnsSegment>, KV<Integer, TimedEvent>> {
  /** The main output: the events, by client shard, as {@link TimedEventsParser}'s. */
  public static final TupleTag<KV<Integer, TimedEvent>> EVENTS =
      new TupleTag<>("windowTcpDnsEvents") {};

  /** Malformed messages, messages lost to gaps and late segments, for the run report. */
  public static final TupleTag<RunReport> REPORT = new TupleTag<>("windowTcpDnsReports") {};

  /**
   * How long after a direction's last segment, in capture time, it is forgotten: longer than a DNS
   * server keeps an idle connection open (RFC 7766 section 6.2.3 asks for seconds) and than TCP
   * retransmits before it gives up on a connect (about two minutes). Segments after that start the
   * direction again, as a capture that began in the middle of a stream.
   */
  static final Duration IDLE = Duration.standardMinutes(2);

  private static final Comparator<TcpDnsSegment> CAPTURE_ORDER =
      Comparator.comparing(TcpDnsSegment::order);

  private final @Nullable String nameFilter;
  private final Shards shards;
  private final boolean boundedInput;
  private transient DnsStreamReassembler reassembler;

  /** Segments that time has not passed yet. */
  @StateId("pending")
  private final StateSpec<BagState<TcpDnsSegment>> pendingSpec =
      StateSpecs.bag(TcpDnsSegmentCoder.of());

  /** Segments fed to the reassembler since the direction was last forgotten. */
  @StateId("fed")
  private final StateSpec<BagState<TcpDnsSegment>> fedSpec =
      StateSpecs.bag(TcpDnsSegmentCoder.of());

  /** How many messages the fed segments have yielded, all sent on; unset when none are fed. */
  @StateId("yielded")
  private final StateSpec<ValueState<Integer>> yieldedSpec = StateSpecs.value(VarIntCoder.of());

  /** The time of the latest fed segment, in milliseconds; unset when none are fed. */
  @StateId("lastFed")
  private final StateSpec<ValueState<Long>> lastFedSpec = StateSpecs.value(VarLongCoder.of());

  /**
   * The time of the earliest fed segment, in milliseconds, while the reassembler holds bytes behind
   * a hole (messages may still come with times from there on); unset otherwise.
   */
  @StateId("holeFrom")
  private final StateSpec<ValueState<Long>> holeFromSpec = StateSpecs.value(VarLongCoder.of());

  @TimerId("feed")
  private final TimerSpec feedSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  /**
   * Events of the clients of {@code shards} whose names pass {@code nameFilter} (null for all),
   * over a stream ({@code boundedInput} false) or captures read at once.
   */
  public ReassembleTcpDnsInTimeFn(
      @Nullable String nameFilter, Shards shards, boolean boundedInput) {
    this.nameFilter = nameFilter;
    this.shards = shards;
    this.boundedInput = boundedInput;
  }

  @Setup
  public void setup() {
    reassembler = new DnsStreamReassembler();
  }

  @ProcessElement
  public void process(
      @Element KV<String, TcpDnsSegment> segment,
      BoundedWindow window,
      @StateId("pending") BagState<TcpDnsSegment> pending,
      @StateId("lastFed") ValueState<Long> lastFed,
      @StateId("holeFrom") ValueState<Long> holeFrom,
      @TimerId("feed") Timer feed) {
    pending.add(segment.getValue());
    List<TcpDnsSegment> waiting = new ArrayList<>();
    pending.read().forEach(waiting::add);
    setTimer(feed, window, waiting, lastFed.read(), holeFrom.read());
  }

  @OnTimer("feed")
  public void onFeed(
      OnTimerContext context,
      BoundedWindow window,
      @StateId("pending") BagState<TcpDnsSegment> pending,
      @StateId("fed") BagState<TcpDnsSegment> fed,
      @StateId("yielded") ValueState<Integer> yielded,
      @StateId("lastFed") ValueState<Long> lastFed,
      @StateId("holeFrom") ValueState<Long> holeFrom,
      @TimerId("feed") Timer feed,
      MultiOutputReceiver out) {
    long nowMillis = context.fireTimestamp().getMillis();
    List<TcpDnsSegment> given = new ArrayList<>();
    fed.read().forEach(given::add);
    given.sort(CAPTURE_ORDER);
    List<TcpDnsSegment> later = new ArrayList<>();
    List<TcpDnsSegment> passed = new ArrayList<>();
    for (TcpDnsSegment s : pending.read()) {
      (millis(s) < nowMillis ? passed : later).add(s);
    }
    passed.sort(CAPTURE_ORDER);
    Integer read = yielded.read();
    int sent = read == null ? 0 : read;
    Yield yield = new Yield(out);
    long late = 0;
    // Only once messages were sent does a lower start matter: a reassembly from the first would
    // no longer begin with them.
    Long start = sent == 0 ? null : startWithoutSyn(given);
    for (TcpDnsSegment s : passed) {
      if (!given.isEmpty() && s.order().compareTo(last(given).order()) < 0) {
        late++;
        continue;
      }
      if (start != null
          && (s.flags() & TcpFlags.SYN) == 0
          && s.payload().length > 0
          && (int) (s.seq() - start) < 0) {
        // It would move the start of a direction seen without its SYN below the bytes whose
        // messages were sent: too late to be read, as a late packet.
        late++;
        continue;
      }
      if (!given.isEmpty() && millis(s) >= millis(last(given)) + IDLE.getMillis()) {
        yield.reassemble(reassembler, given, sent, true);
        given.clear();
        sent = 0;
        start = null;
      }
      given.add(s);
    }
    boolean bytesBehindAHole = false;
    if (!given.isEmpty() && nowMillis >= millis(last(given)) + IDLE.getMillis()) {
      yield.reassemble(reassembler, given, sent, true);
      given.clear();
    } else if (!given.isEmpty()) {
      bytesBehindAHole = yield.reassemble(reassembler, given, sent, false);
    }
    yield.report(late);

    pending.clear();
    later.forEach(pending::add);
    fed.clear();
    given.forEach(fed::add);
    if (given.isEmpty()) {
      yielded.clear();
      lastFed.clear();
      holeFrom.clear();
    } else {
      yielded.write(yield.yielded());
      lastFed.write(millis(last(given)));
      if (bytesBehindAHole) {
        holeFrom.write(millis(given.get(0)));
      } else {
        holeFrom.clear();
      }
    }
    setTimer(feed, window, later, lastFed.read(), holeFrom.read());
  }

  /**
   * Sets the timer for when time has passed the earliest waiting segment, or the direction is to be
   * forgotten ({@code lastFed}, when segments are fed, plus {@link #IDLE}), whichever comes first.
   * It holds the output at the earliest waiting segment, and at {@code holeFrom} while bytes wait
   * behind a hole.
   *
   * <p>Over captures read at once, for the end of the window: one firing, once every segment is in,
   * feeds them all ({@link WaitingEvents#wakeFor} says why); a firing at the first segments' time
   * could read a message without the rest of its segments, still in a later file.
   */
  private void setTimer(
      Timer feed,
      BoundedWindow window,
      List<TcpDnsSegment> waiting,
      @Nullable Long lastFed,
      @Nullable Long holeFrom) {
    long hold = holeFrom == null ? Long.MAX_VALUE : holeFrom;
    long at = lastFed == null ? Long.MAX_VALUE : lastFed + IDLE.getMillis();
    long earliest = Long.MAX_VALUE;
    for (TcpDnsSegment s : waiting) {
      earliest = Math.min(earliest, millis(s));
    }
    if (!waiting.isEmpty()) {
      hold = Math.min(hold, earliest);
      at = boundedInput ? window.maxTimestamp().getMillis() : Math.min(at, earliest + 1);
    }
    if (at == Long.MAX_VALUE) {
      return;
    }
    feed.withOutputTimestamp(Instant.ofEpochMilli(Math.min(hold, at)))
        .set(Instant.ofEpochMilli(at));
  }

  /**
   * Where a direction seen without its SYN starts, from {@code given} (fed before, in capture
   * order): the lowest sequence number of its data segments ({@link DnsStreamReassembler}); null
   * when none are fed or one is a SYN, after which later segments do not move the start.
   */
  private static @Nullable Long startWithoutSyn(List<TcpDnsSegment> given) {
    Long lowest = null;
    for (TcpDnsSegment s : given) {
      if ((s.flags() & TcpFlags.SYN) != 0) {
        return null;
      }
      if (s.payload().length > 0 && (lowest == null || (int) (s.seq() - lowest) < 0)) {
        lowest = s.seq();
      }
    }
    return lowest;
  }

  private static TcpDnsSegment last(List<TcpDnsSegment> inCaptureOrder) {
    return inCaptureOrder.get(inCaptureOrder.size() - 1);
  }

  /** A segment's capture time in milliseconds, the unit of timers and timestamps. */
  private static long millis(TcpDnsSegment s) {
    return Math.floorDiv(s.order().timestampMicros(), 1000);
  }

  @Override
  @SuppressWarnings("deprecation") // the documented way to output earlier than the timer
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }

  /**
   * What the reassemblies of one firing yield past the messages already sent: the messages sent on
   * as events at their completing segment's time, the counts for the run report.
   */
  private final class Yield extends DirectionMessages {
    private final MultiOutputReceiver out;

    Yield(MultiOutputReceiver out) {
      super(nameFilter);
      this.out = out;
    }

    /** The run report's part of this firing, with {@code late} segments left out. */
    void report(long late) {
      ConnBalMetrics.TCP_DNS_MESSAGES.inc(decodedCount() + malformedCount());
      ConnBalMetrics.DNS_MALFORMED.inc(malformedCount());
      ConnBalMetrics.TCP_DNS_MESSAGES_LOST.inc(lostCount());
      RunReport report =
          RunReport.builder()
              .setDnsMalformed(malformedCount())
              .setTcpDnsMessagesLost(lostCount())
              .setLatePackets(late)
              .build();
      if (!report.equals(RunReport.empty())) {
        out.get(REPORT).outputWithTimestamp(report, BoundedWindow.TIMESTAMP_MIN_VALUE);
      }
    }

    @Override
    protected void event(DnsEvent event, DnsMessage message) {
      Instant at = Instant.ofEpochMilli(Math.floorDiv(event.order().timestampMicros(), 1000));
      TimedEventsParser.route(
          event, message, shards, e -> out.get(EVENTS).outputWithTimestamp(e, at));
    }
  }
}
