package dev.connbal.transforms.count;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.timeline.BackendTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a shard's SYN batches, from ranges read in any order, become attempts per destination. */
class AttemptCountsTest {
  private static final IpAddress C = IpAddress.ofV4(1);
  private static final IpAddress B1 = IpAddress.ofV4(11);
  private static final IpAddress B2 = IpAddress.ofV4(12);
  private static final IpAddress OTHER = IpAddress.ofV4(13);
  private static final long S = 1_000_000L;
  private static final long T = 1_700_000_000L * S;

  /** The first DNS appearances: B1 for C at T, B2 for C at T + 50 s. */
  private static final BackendTable FIRST_SEEN =
      BackendTable.of(Map.of(ClientBackend.of(C, B1), T, ClientBackend.of(C, B2), T + 50 * S));

  private static List<SynBatch> batches(SynBatch.Collector... ranges) {
    List<SynBatch> batches = new ArrayList<>();
    for (SynBatch.Collector range : ranges) {
      range.drainTo(new Shards(1), kv -> batches.add(kv.getValue()));
    }
    return batches;
  }

  private static void add(
      SynBatch.Collector c,
      IpAddress client,
      IpAddress server,
      int port,
      int clientPort,
      long isn,
      long time) {
    c.add(client.high(), client.low(), server.high(), server.low(), port, clientPort, isn, time);
  }

  @Test
  void theSameIdToAnotherPortOrBackendIsAnotherAttempt() {
    SynBatch.Collector range = new SynBatch.Collector();
    add(range, C, B1, 443, 40000, 7, T + 60 * S);
    add(range, C, B1, 8443, 40000, 7, T + 61 * S);
    add(range, C, B2, 443, 40000, 7, T + 62 * S);
    add(range, C, B1, 443, 40000, 7, T + 63 * S); // retransmits the first
    add(range, C, OTHER, 443, 40000, 7, T + 64 * S); // not a DNS backend of C
    assertThat(
        AttemptCounts.count(batches(range), FIRST_SEEN),
        equalTo(
            Map.of(
                new BackendPort(C, B1, 443), 1L,
                new BackendPort(C, B1, 8443), 1L,
                new BackendPort(C, B2, 443), 1L)));
  }

  @Test
  void synsOfOneAttemptReadByTwoRangesInEitherOrderCountOnce() {
    // The range that read the later SYNs comes first.
    SynBatch.Collector later = new SynBatch.Collector();
    add(later, C, B1, 443, 40000, 7, T + 100 * S); // retransmits the attempt of T + 10 s
    add(later, C, B1, 443, 40000, 7, T + 130 * S); // 120 s after T + 10 s: begins another
    SynBatch.Collector earlier = new SynBatch.Collector();
    add(earlier, C, B1, 443, 40000, 7, T + 10 * S);
    assertThat(
        AttemptCounts.count(batches(later, earlier), FIRST_SEEN),
        equalTo(Map.of(new BackendPort(C, B1, 443), 2L)));
  }

  @Test
  void eachBackendsOwnFirstAppearanceDecidesWhatCounts() {
    // B2 first appears at T + 50 s: its attempt of T + 40 s is early, retransmits and all; the
    // same id to B1, known from T, counts.
    SynBatch.Collector range = new SynBatch.Collector();
    add(range, C, B2, 443, 40000, 7, T + 40 * S);
    add(range, C, B1, 443, 40000, 7, T + 40 * S);
    add(range, C, B2, 443, 40000, 7, T + 55 * S);
    add(range, C, B2, 443, 40000, 8, T + 55 * S); // another ISN: another attempt, on time
    add(range, C, B2, 443, 40000, 7, T + 160 * S); // 120 s after the early one: counts
    assertThat(
        AttemptCounts.count(batches(range), FIRST_SEEN),
        equalTo(Map.of(new BackendPort(C, B1, 443), 1L, new BackendPort(C, B2, 443), 2L)));
  }

  @Test
  void everyOneOfManyDestinationsCountsItsOwnAttempts() {
    // 300 backends of C, IPv4 and IPv6, first seen at T, 8 ports each: 2,400 destinations. To
    // each, one attempt at T + 1 s retransmitted at T + 2 s (one attempt), and an attempt of
    // another id at T - 1 s (before the backend was seen: not counted). The destinations of the
    // backends 0 to 99 get a second attempt at T + 3 s.
    Map<ClientBackend, Long> firstSeen = new HashMap<>();
    List<IpAddress> backends = new ArrayList<>();
    for (int b = 0; b < 300; b++) {
      IpAddress backend =
          b % 3 == 0 ? IpAddress.of(0x20010db8_00000000L, b) : IpAddress.ofV4(0x0A000000 | b);
      backends.add(backend);
      firstSeen.put(ClientBackend.of(C, backend), T);
    }
    SynBatch.Collector range = new SynBatch.Collector();
    Map<BackendPort, Long> expected = new HashMap<>();
    for (int b = 0; b < backends.size(); b++) {
      for (int port = 0; port < 8; port++) {
        IpAddress backend = backends.get(b);
        add(range, C, backend, port, 40000, 7, T + S);
        add(range, C, backend, port, 40000, 7, T + 2 * S);
        add(range, C, backend, port, 40001, 9, T - S);
        if (b < 100) {
          add(range, C, backend, port, 40002, 7, T + 3 * S);
        }
        expected.put(new BackendPort(C, backend, port), b < 100 ? 2L : 1L);
      }
    }
    add(range, C, OTHER, 443, 40000, 7, T + S); // not a DNS backend of C
    assertThat(AttemptCounts.count(batches(range), BackendTable.of(firstSeen)), equalTo(expected));
  }
}
