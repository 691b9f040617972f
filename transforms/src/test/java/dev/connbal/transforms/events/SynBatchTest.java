package dev.connbal.transforms.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/** How a range's SYNs leave pass 1: one batch per shard, every SYN kept with its time. */
class SynBatchTest {
  /** A SYN as the test reads it back: {client, server, port, attempt, time}. */
  private static List<Long> syn(long... fields) {
    List<Long> s = new ArrayList<>();
    for (long f : fields) {
      s.add(f);
    }
    return s;
  }

  /** Adds a SYN between the IPv4 addresses {@code client} and {@code server} (as ints). */
  private static void addV4(
      SynBatch.Collector c, int client, int server, int port, int clientPort, long isn, long t) {
    c.add(0, IpAddress.v4Low(client), 0, IpAddress.v4Low(server), port, clientPort, isn, t);
  }

  @Test
  void drainsOneBatchPerShardWithEverySynInReadOrder() {
    Shards shards = new Shards(4);
    SynBatch.Collector collector = new SynBatch.Collector();
    // 20 destinations of one client, 3 SYNs each (the second a retransmission of the first), more
    // than the collector's first arrays hold
    List<List<Long>> added = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int d = 0; d < 20; d++) {
        int clientPort = 40000 + d + (round == 2 ? 1 : 0);
        long time = 1_000_000L * round + d;
        addV4(collector, 7, 100 + d, 443 + d, clientPort, 99, time);
        added.add(syn(7, 100 + d, 443 + d, SynBatch.attempt(clientPort, 99), time));
      }
    }
    assertThat(collector.count(), equalTo(60));

    List<KV<Integer, SynBatch>> batches = new ArrayList<>();
    collector.drainTo(shards, batches::add);
    Set<Integer> shardsSeen = new HashSet<>();
    List<List<Long>> drained = new ArrayList<>();
    for (KV<Integer, SynBatch> kv : batches) {
      assertThat("one batch per shard", shardsSeen.add(kv.getKey()), is(true));
      SynBatch batch = kv.getValue();
      for (int i = 0; i < batch.size(); i++) {
        assertThat(
            kv.getKey(),
            equalTo(shards.ofPair(ClientBackend.of(batch.client(i), batch.server(i)))));
        drained.add(
            syn(
                batch.client(i).v4(),
                batch.server(i).v4(),
                batch.port(i),
                batch.attempt(i),
                batch.time(i)));
      }
    }
    assertThat("spread over shards", shardsSeen.size() > 1, is(true));
    // Each shard keeps read order, so the SYNs of each destination come in the order added.
    for (int d = 0; d < 20; d++) {
      long server = 100L + d;
      assertThat(
          drained.stream().filter(s -> s.get(1) == server).toList(),
          equalTo(added.stream().filter(s -> s.get(1) == server).toList()));
    }
    assertThat(drained.size(), equalTo(60));

    assertThat("empty after draining", collector.count(), equalTo(0));
    List<KV<Integer, SynBatch>> none = new ArrayList<>();
    collector.drainTo(shards, none::add);
    assertThat(none.size(), equalTo(0));
  }

  @Test
  void keepsTheHighestPortsAndTheWholeUnsignedIsn() {
    SynBatch.Collector collector = new SynBatch.Collector();
    addV4(collector, -1, -2, 65535, 65535, 0xFFFFFFFFL, Long.MIN_VALUE);
    // An ISN above 2^31 (negative as an int) and ports with their top bit set.
    addV4(collector, 1, 2, 0x8000, 0xABCD, 0x89ABCDEFL, 0);
    List<SynBatch> batches = new ArrayList<>();
    collector.drainTo(new Shards(1), kv -> batches.add(kv.getValue()));
    SynBatch batch = batches.get(0);
    assertThat(batch.client(0).v4(), equalTo(-1));
    assertThat(batch.server(0).v4(), equalTo(-2));
    assertThat(batch.port(0), equalTo(65535));
    // The attempt: the client port in the 16 bits above the ISN's 32.
    assertThat(batch.attempt(0), equalTo(0xFFFF_FFFF_FFFFL));
    assertThat(batch.time(0), equalTo(Long.MIN_VALUE));
    assertThat(batch.port(1), equalTo(32768));
    assertThat(batch.attempt(1), equalTo(0xABCD_89AB_CDEFL));
    // The same client port with another ISN, or another client port with the same ISN, is
    // another attempt.
    assertThat(SynBatch.attempt(0xABCD, 0x89ABCDEEL), equalTo(0xABCD_89AB_CDEEL));
    assertThat(SynBatch.attempt(0xABCC, 0x89ABCDEFL), equalTo(0xABCC_89AB_CDEFL));
  }
}
