package dev.connbal.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.testing.Packets;
import dev.connbal.transforms.wire.RunReportCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A stream shard's tracking over a stream of events whose watermark the test moves: what time has
 * passed runs in capture order, pairs before packets, whatever the order of arrival; each
 * connection leaves at its first counted packet; a packet that comes after time has passed it is
 * late, still tracked, and counted in the report.
 */
class TrackStreamsFnTest {
  private static final IpAddress CLIENT = Packets.ip("10.0.0.1");
  private static final IpAddress BACKEND = Packets.ip("192.168.1.1");
  private static final long T = 1_700_000_000_000_000L;

  private static TimestampedValue<KV<Integer, StreamEvent>> packet(
      long micros, int clientPort, int flags) {
    return at(
        micros,
        StreamEvent.packet(
            micros, CLIENT, clientPort, BACKEND, 443, flags, 0, "f", micros - T + 1_000_000));
  }

  private static TimestampedValue<KV<Integer, StreamEvent>> at(long micros, StreamEvent e) {
    return TimestampedValue.of(KV.of(0, e), new Instant(Math.floorDiv(micros, 1000)));
  }

  /**
   * The client looks the backend up at T. Port 40001 opens at T+1 ms and counts there; port 40002
   * was open before the lookup (T-5 ms) and counts at its first packet after it (T+3 ms), though
   * that packet arrives before the lookup does; port 40003 closed before the lookup and its
   * trailing ACK does not count; port 40004 comes after time has passed T+20 ms, late, and counts
   * at its own time.
   */
  @Test
  void passedTimeRunsInCaptureOrderAndALatePacketStillCountsInItsOwnTime() {
    TestStream<KV<Integer, StreamEvent>> events =
        TestStream.create(KvCoder.of(VarIntCoder.of(), StreamEventCoder.of()))
            .addElements(
                packet(T - 5_000, 40002, TcpFlags.ACK),
                packet(T - 4_000, 40003, TcpFlags.ACK),
                packet(T - 3_000, 40003, TcpFlags.FIN | TcpFlags.ACK),
                packet(T + 3_000, 40002, TcpFlags.ACK),
                packet(T + 1_000, 40001, TcpFlags.SYN),
                packet(T + 2_000, 40001, TcpFlags.ACK),
                packet(T + 4_000, 40003, TcpFlags.ACK))
            .addElements(at(T, StreamEvent.pairKnown(CLIENT, BACKEND, T)))
            .advanceWatermarkTo(new Instant((T + 20_000) / 1000))
            .addElements(packet(T + 5_000, 40004, TcpFlags.ACK))
            .advanceWatermarkToInfinity();

    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.as(StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(options);
    PCollectionTuple out =
        p.apply(events)
            .apply(
                ParDo.of(new TrackStreamsFn(Duration.millis(10), false, new Shards(1)))
                    .withOutputTags(
                        TrackStreamsFn.CONNECTIONS, TupleTagList.of(TrackStreamsFn.REPORT)));
    out.get(TrackStreamsFn.CONNECTIONS)
        .setCoder(KvCoder.of(VarIntCoder.of(), TimedEventCoder.of()));
    out.get(TrackStreamsFn.REPORT).setCoder(RunReportCoder.of());
    PAssert.that(out.get(TrackStreamsFn.CONNECTIONS))
        .satisfies(
            connections -> {
              List<String> seen = new ArrayList<>();
              for (KV<Integer, TimedEvent> c : connections) {
                TimedEvent e = c.getValue();
                assertThat(e.kind(), equalTo(TimedEvent.Kind.SYN));
                assertThat(e.client(), equalTo(CLIENT));
                assertThat(e.server(), equalTo(BACKEND));
                assertThat(e.port(), equalTo(443));
                seen.add("+" + (e.timeMicros() - T));
              }
              assertThat(seen, containsInAnyOrder("+1000", "+3000", "+5000"));
              return null;
            });
    PAssert.that(out.get(TrackStreamsFn.REPORT))
        .satisfies(
            reports -> {
              RunReport sum = RunReport.empty();
              for (RunReport r : reports) {
                sum = sum.plus(r);
              }
              assertThat(sum.latePackets(), equalTo(1L));
              return null;
            });
    p.run().waitUntilFinish();
  }
}
