package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The table's own index agrees with its entries for every pair, present or not. */
class BackendTableTest {
  @Test
  void everyPairIsFoundAndNoOtherIs() {
    for (int size : new int[] {0, 1, 2, 3, 7, 8, 9, 1000, 40_000}) {
      Random random = new Random(size);
      Map<ClientBackend, Long> entries = new HashMap<>();
      // Clients and backends of two /16s, and IPv6 clients and backends of one /64.
      while (entries.size() < size) {
        ClientBackend pair =
            random.nextInt(4) == 0
                ? ClientBackend.of(
                    IpAddress.of(0x20010db8_00000000L, random.nextInt(1 << 16)),
                    IpAddress.of(0x20010db8_00000000L, random.nextInt(1 << 16)))
                : ClientBackend.of(
                    IpAddress.ofV4(0x0A000000 | random.nextInt(1 << 16)),
                    IpAddress.ofV4(0x0A010000 | random.nextInt(1 << 16)));
        entries.put(pair, (long) random.nextInt(1 << 30));
      }
      BackendTable table = BackendTable.of(entries);
      entries.forEach(
          (pair, firstSeen) -> {
            assertThat(table.firstSeenOrAbsent(pair), equalTo(firstSeen));
            IpAddress c = pair.client();
            IpAddress b = pair.backend();
            int slot = table.slotOf(c.high(), c.low(), b.high(), b.low());
            assertThat(slot >= 0 && slot < table.slots(), equalTo(true));
            assertThat(table.pairAt(slot), equalTo(pair));
            assertThat(table.firstSeenAt(slot), equalTo(firstSeen));
          });
      for (int i = 0; i < 10_000; i++) {
        ClientBackend other =
            ClientBackend.of(IpAddress.ofV4(random.nextInt()), IpAddress.ofV4(random.nextInt()));
        if (!entries.containsKey(other)) {
          assertThat(table.firstSeenOrAbsent(other), equalTo(BackendTable.ABSENT));
          assertThat(
              table.slotOf(
                  other.client().high(),
                  other.client().low(),
                  other.backend().high(),
                  other.backend().low()),
              equalTo(-1));
        }
      }
      assertThat(table.isEmpty(), equalTo(size == 0));
    }
  }

  @Test
  void pairZeroAndTimeZeroAreOrdinaryEntries() {
    IpAddress zero = IpAddress.of(0, 0);
    BackendTable table = BackendTable.of(Map.of(ClientBackend.of(zero, zero), 0L));
    assertThat(table.firstSeenOrAbsent(0, 0, 0, 0), equalTo(0L));
    assertThat(table.firstSeenOrAbsent(0, 1, 0, 0), equalTo(BackendTable.ABSENT));
  }

  @Test
  void anIpv4PairAndTheIpv6PairOfTheSameLowBitsAreDifferentPairs() {
    IpAddress v4 = IpAddress.ofV4(0x0A000001);
    IpAddress v6 = IpAddress.of(0x20010db8_00000000L, 0x0A000001L);
    BackendTable table = BackendTable.of(Map.of(ClientBackend.of(v4, v4), 7L));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(v4, v4)), equalTo(7L));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(v6, v6)), equalTo(BackendTable.ABSENT));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(v4, v6)), equalTo(BackendTable.ABSENT));
  }

  @Test
  void factsGiveEachPairItsFirstAppearance() {
    DnsName name = DnsName.fromPresentation("api.example.");
    IpAddress a1 = IpAddress.ofV4(1);
    IpAddress a2 = IpAddress.ofV4(2);
    IpAddress a3 = IpAddress.parse("2001:db8::3");
    BackendTable table =
        BackendTable.ofFacts(
            List.of(
                new BackendFacts(a1, a2, 500L, name, 3, new TreeMap<>(), new TreeMap<>()),
                new BackendFacts(a1, a3, 0L, name, 1, new TreeMap<>(), new TreeMap<>())));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(a1, a2)), equalTo(500L));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(a1, a3)), equalTo(0L));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(a2, a1)), equalTo(BackendTable.ABSENT));
    assertThat(BackendTable.ofFacts(List.of()).isEmpty(), equalTo(true));
  }

  @Test
  void piecesHoldAtMostTheirShareAndTheirUnionIsTheTable() {
    DnsName name = DnsName.fromPresentation("api.example.");
    for (int pairs : new int[] {0, 1, 5, 6, 7, 100}) {
      List<BackendFacts> facts = new ArrayList<>();
      for (int i = 0; i < pairs; i++) {
        facts.add(
            new BackendFacts(
                IpAddress.ofV4(i / 3),
                IpAddress.ofV4(100 + i),
                i * 10L,
                name,
                1,
                new TreeMap<>(),
                new TreeMap<>()));
      }
      BackendTable whole = BackendTable.ofFacts(facts);
      for (int max : new int[] {1, 3, 5, 1000}) {
        List<BackendTable> pieces = BackendTable.piecesOfFacts(facts, max);
        // Ceiling of pairs / max, and one empty piece for no pairs.
        assertThat(pieces.size(), equalTo(Math.max(1, (pairs + max - 1) / max)));
        pieces.forEach(p -> assertThat(p.entries().size() <= max, equalTo(true)));
        assertThat(BackendTable.union(pieces), equalTo(whole));
      }
    }
  }
}
