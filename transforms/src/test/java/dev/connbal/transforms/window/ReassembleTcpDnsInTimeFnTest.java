package dev.connbal.transforms.window;

import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import dev.connbal.transforms.testing.Packets;
import dev.connbal.transforms.wire.RunReportCoder;
import dev.connbal.transforms.wire.TcpDnsSegmentCoder;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * One direction of a stream over a stream of segments whose watermark the test moves: what time has
 * passed is fed in capture order, a segment that comes after time has passed a later one is late,
 * and a direction silent for {@link ReassembleTcpDnsInTimeFn#IDLE} is forgotten.
 */
class ReassembleTcpDnsInTimeFnTest {
  private static final IpAddress CLIENT = Packets.ip("10.0.0.1");
  private static final IpAddress NS = Packets.ip("10.0.0.53");
  private static final long T = 1_700_000_000_000_000L;
  private static final long ISN = 1000;

  private static byte[] framedQuery(int id) {
    return Packets.tcpDnsStream(Packets.dnsQueryMessage(id, "www.example.com", TYPE_A));
  }

  private static TimestampedValue<KV<String, TcpDnsSegment>> segment(
      long micros, int flags, long seq, byte[] payload) {
    TcpDnsSegment s =
        new TcpDnsSegment(
            CLIENT, 40001, NS, 53, flags, seq, payload, new OrderKey(micros, "f", micros - T));
    return TimestampedValue.of(KV.of(s.directionKey(), s), new Instant(micros / 1000));
  }

  /**
   * The client sends queries 1 (at T+1 ms), 2 (T+8 ms) and 3 (T+5 ms, but arriving after time has
   * passed T+10 ms: late, left out); after a hole where query 3 was, query 4 comes 3 minutes later.
   * Without the forgetting, query 4 would wait behind the hole and the end would lose a message
   * there; forgotten, the direction ends clean (nothing lost) and starts again at query 4, which is
   * read as the first message of a direction seen without its SYN.
   */
  @Test
  void timePassedIsFedInCaptureOrderALateSegmentIsLeftOutAndASilentDirectionIsForgotten() {
    int q = framedQuery(1).length;
    long afterIdle = T + 3 * 60_000_000L + 10_000;
    TestStream<KV<String, TcpDnsSegment>> segments =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), TcpDnsSegmentCoder.of()))
            .addElements(
                segment(T + 8_000, TcpFlags.ACK, ISN + 1 + q, framedQuery(2)),
                segment(T, TcpFlags.SYN, ISN, new byte[0]),
                segment(T + 1_000, TcpFlags.ACK, ISN + 1, framedQuery(1)))
            .advanceWatermarkTo(new Instant((T + 10_000) / 1000))
            .addElements(segment(T + 5_000, TcpFlags.ACK, ISN + 1 + 2L * q, framedQuery(3)))
            .advanceWatermarkTo(new Instant((T + 20_000) / 1000))
            .addElements(segment(afterIdle, TcpFlags.ACK, ISN + 1 + 3L * q, framedQuery(4)))
            .advanceWatermarkToInfinity();

    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.as(StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(options);
    PCollectionTuple out =
        p.apply(segments)
            .apply(
                ParDo.of(new ReassembleTcpDnsInTimeFn(null, new Shards(1), false))
                    .withOutputTags(
                        ReassembleTcpDnsInTimeFn.EVENTS,
                        TupleTagList.of(ReassembleTcpDnsInTimeFn.REPORT)));
    out.get(ReassembleTcpDnsInTimeFn.EVENTS)
        .setCoder(KvCoder.of(VarIntCoder.of(), TimedEventCoder.of()));
    out.get(ReassembleTcpDnsInTimeFn.REPORT).setCoder(RunReportCoder.of());
    PAssert.that(out.get(ReassembleTcpDnsInTimeFn.EVENTS))
        .satisfies(
            events -> {
              List<String> seen = new ArrayList<>();
              for (KV<Integer, TimedEvent> e : events) {
                seen.add(e.getValue().dns().query().id() + "@" + e.getValue().timeMicros());
              }
              seen.sort(null);
              assertThat(seen, contains("1@" + (T + 1_000), "2@" + (T + 8_000), "4@" + afterIdle));
              return null;
            });
    PAssert.that(out.get(ReassembleTcpDnsInTimeFn.REPORT))
        .satisfies(
            reports -> {
              RunReport sum = RunReport.empty();
              for (RunReport r : reports) {
                sum = sum.plus(r);
              }
              assertThat(sum.latePackets(), equalTo(1L));
              assertThat(sum.tcpDnsMessagesLost(), equalTo(0L));
              assertThat(sum.dnsMalformed(), equalTo(0L));
              return null;
            });
    p.run().waitUntilFinish();
  }
}
