package dev.connbal.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.ConnBalMetrics;
import dev.connbal.transforms.report.RunReport;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The all-streams road with windows over a stream whose watermark the test moves: its late packets
 * are counted once, in the run report and in the metrics alike, though the DNS events run through
 * two timelines and a late stream packet makes a late attempt for the second.
 */
class RunAllStreamsInTimeTest {
  private static final IpAddress CLIENT = TimelineEvents.ip(10, 0, 0, 1);
  private static final IpAddress BACKEND = TimelineEvents.ip(192, 168, 1, 1);
  private static final IpAddress OTHER_BACKEND = TimelineEvents.ip(192, 168, 1, 2);
  private static final long T = 1_700_000_000_000_000L;

  private static final TupleTag<KV<Integer, TimedEvent>> DNS = new TupleTag<>("dns") {};
  private static final TupleTag<KV<Integer, StreamEvent>> PACKETS = new TupleTag<>("packets") {};

  /**
   * The events of the test, by index (a TimedEvent or a StreamEvent): what the one test stream
   * carries is the index, so that DNS events and packets arrive in one order the test sets.
   */
  private static final List<Object> EVENTS = new ArrayList<>();

  /**
   * On time: the client looks the backends up at T and again at T+8 ms (answers at T+1 ms and T+9
   * ms), and opens port 40001 to the backend at T+2 ms. Then the watermark passes T+20 ms, and
   * three packets come late: a query at T+5 ms with its answer at T+5.5 ms (before T+9 ms, which
   * the timelines have run: late DNS events, 2) and an ACK of port 40002 at T+5 ms (after the
   * tracker's time passed T+10 ms: a late stream packet, 1, which counts a connection at its own
   * time). The report says 3 late packets; so must the metrics: lateDnsEvents 2 (the first
   * timeline's; the second takes the same DNS events), lateStreamPackets 1, lateSyns 0 (the late
   * attempt the second timeline gets is that late packet's).
   */
  @Test
  void latePacketsAreCountedOnceInTheMetricsAsInTheReport() {
    TimelineEvents made = new TimelineEvents();
    List<Integer> onTime = new ArrayList<>();
    List<Integer> late = new ArrayList<>();
    made.lookup(T, CLIENT, 1, "svc.example.com", BACKEND, OTHER_BACKEND)
        .forEach(e -> onTime.add(add(e)));
    made.lookup(T + 8_000, CLIENT, 2, "svc.example.com", BACKEND, OTHER_BACKEND)
        .forEach(e -> onTime.add(add(e)));
    onTime.add(add(packet(T + 2_000, 40001, TcpFlags.SYN)));
    late.add(add(TimedEvent.dns(made.query(T + 5_000, CLIENT, 3, "svc.example.com"), false)));
    late.add(
        add(
            TimedEvent.dns(
                made.response(
                    T + 5_500,
                    CLIENT,
                    3,
                    "svc.example.com",
                    1,
                    List.of(TimelineEvents.a("svc.example.com", BACKEND))),
                false)));
    late.add(add(packet(T + 5_000, 40002, TcpFlags.ACK)));

    TestStream.Builder<Integer> stream = TestStream.create(VarIntCoder.of());
    for (int i : onTime) {
      stream = stream.addElements(at(i));
    }
    stream = stream.advanceWatermarkTo(new Instant((T + 20_000) / 1000));
    for (int i : late) {
      stream = stream.addElements(at(i));
    }

    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.as(StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(options);
    PCollectionTuple input =
        p.apply(stream.advanceWatermarkToInfinity())
            .apply(ParDo.of(new EventOfIndexFn()).withOutputTags(DNS, TupleTagList.of(PACKETS)));
    input.get(DNS).setCoder(KvCoder.of(VarIntCoder.of(), TimedEventCoder.of()));
    input.get(PACKETS).setCoder(KvCoder.of(VarIntCoder.of(), StreamEventCoder.of()));
    PCollectionTuple out =
        PCollectionTuple.of(RunAllStreamsInTime.DNS_EVENTS, input.get(DNS))
            .and(RunAllStreamsInTime.STREAM_PACKETS, input.get(PACKETS))
            .apply(RunAllStreamsInTime.of(Duration.millis(10), new Shards(1)));
    PAssert.that(out.get(RunAllStreamsInTime.REPORT))
        .satisfies(
            reports -> {
              RunReport sum = RunReport.empty();
              for (RunReport r : reports) {
                sum = sum.plus(r);
              }
              assertThat(sum.latePackets(), equalTo(3L));
              return null;
            });
    PipelineResult result = p.run();
    result.waitUntilFinish();

    assertThat(counter(result, "lateDnsEvents"), equalTo(2L));
    assertThat(counter(result, "lateStreamPackets"), equalTo(1L));
    assertThat(counter(result, "lateSyns"), equalTo(0L));
  }

  private static synchronized int add(Object event) {
    EVENTS.add(event);
    return EVENTS.size() - 1;
  }

  private static StreamEvent packet(long micros, int clientPort, int flags) {
    return StreamEvent.packet(
        micros, CLIENT, clientPort, BACKEND, 443, flags, 0, "f", micros - T + 1_000_000);
  }

  /** The index of event {@code i}, stamped with the event's time. */
  private static TimestampedValue<Integer> at(int i) {
    Object e = EVENTS.get(i);
    long micros = e instanceof TimedEvent t ? t.timeMicros() : ((StreamEvent) e).timeMicros();
    return TimestampedValue.of(i, new Instant(Math.floorDiv(micros, 1000)));
  }

  /** The sum of the counter {@code name} over the steps. */
  private static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ConnBalMetrics.NAMESPACE, name))
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  /** Each index as its event, to the output of its kind, in shard 0. */
  private static final class EventOfIndexFn extends DoFn<Integer, KV<Integer, TimedEvent>> {
    @ProcessElement
    public void process(@Element Integer i, MultiOutputReceiver out) {
      Object e = EVENTS.get(i);
      if (e instanceof TimedEvent t) {
        out.get(DNS).output(KV.of(0, t));
      } else {
        out.get(PACKETS).output(KV.of(0, (StreamEvent) e));
      }
    }
  }
}
