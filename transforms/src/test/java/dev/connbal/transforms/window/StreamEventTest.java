package dev.connbal.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * A stream event of either family crosses its coder unchanged, and both directions of a 4-tuple and
 * both orientations of its pairs meet in one stream shard.
 */
class StreamEventTest {
  private static final IpAddress V4_CLIENT = IpAddress.parse("10.0.0.1");
  private static final IpAddress V4_BACKEND = IpAddress.parse("192.168.1.1");
  private static final IpAddress V6_CLIENT = IpAddress.parse("2001:db8:ffff::7");
  private static final IpAddress V6_BACKEND = IpAddress.parse("2001:db8:1::1");

  @Test
  void eventsOfBothFamiliesCrossTheCoderUnchanged() throws Exception {
    for (StreamEvent e :
        List.of(
            StreamEvent.pairKnown(V4_CLIENT, V4_BACKEND, 1_000),
            StreamEvent.pairKnown(V6_CLIENT, V6_BACKEND, 1_000),
            StreamEvent.packet(
                2_000, V4_CLIENT, 40000, V4_BACKEND, 443, TcpFlags.SYN, 4_000_000_000L, "a", 24),
            StreamEvent.packet(
                2_000, V6_BACKEND, 443, V6_CLIENT, 40000, TcpFlags.ACK, 7, "b.pcapng", 1_024))) {
      assertThat(CoderUtils.clone(StreamEventCoder.of(), e), equalTo(e));
    }
  }

  @Test
  void bothDirectionsMeetInOneShard() {
    Shards shards = new Shards(64);
    for (IpAddress[] pair :
        List.of(new IpAddress[] {V4_CLIENT, V4_BACKEND}, new IpAddress[] {V6_CLIENT, V6_BACKEND})) {
      IpAddress a = pair[0];
      IpAddress b = pair[1];
      assertThat(StreamEvent.shardOf(shards, a, b), equalTo(StreamEvent.shardOf(shards, b, a)));
      assertThat(
          StreamEvent.shardOf(shards, a.high(), a.low(), b.high(), b.low()),
          equalTo(StreamEvent.shardOf(shards, a, b)));
    }
  }
}
