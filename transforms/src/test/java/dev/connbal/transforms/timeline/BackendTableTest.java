package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.keys.ClientBackend;
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
      Map<Long, Long> entries = new HashMap<>();
      // Clients and backends of two /16s: the XOR of such addresses is what a boxed map hashed.
      while (entries.size() < size) {
        long pair =
            ClientBackend.of(
                0x0A000000 | random.nextInt(1 << 16), 0x0A010000 | random.nextInt(1 << 16));
        entries.put(pair, (long) random.nextInt(1 << 30));
      }
      BackendTable table = BackendTable.of(entries);
      entries.forEach(
          (pair, firstSeen) -> assertThat(table.firstSeenOrAbsent(pair), equalTo(firstSeen)));
      for (int i = 0; i < 10_000; i++) {
        long other = random.nextLong();
        if (!entries.containsKey(other)) {
          assertThat(table.firstSeenOrAbsent(other), equalTo(BackendTable.ABSENT));
        }
      }
      assertThat(table.isEmpty(), equalTo(size == 0));
    }
  }

  @Test
  void pairZeroAndTimeZeroAreOrdinaryEntries() {
    BackendTable table = BackendTable.of(Map.of(0L, 0L));
    assertThat(table.firstSeenOrAbsent(0L), equalTo(0L));
    assertThat(table.firstSeenOrAbsent(1L), equalTo(BackendTable.ABSENT));
  }

  @Test
  void factsGiveEachPairItsFirstAppearance() {
    DnsName name = DnsName.fromPresentation("api.example.");
    BackendTable table =
        BackendTable.ofFacts(
            List.of(
                new BackendFacts(1, 2, 500L, name, 3, new TreeMap<>(), new TreeMap<>()),
                new BackendFacts(1, 3, 0L, name, 1, new TreeMap<>(), new TreeMap<>())));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(1, 2)), equalTo(500L));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(1, 3)), equalTo(0L));
    assertThat(table.firstSeenOrAbsent(ClientBackend.of(2, 1)), equalTo(BackendTable.ABSENT));
    assertThat(BackendTable.ofFacts(List.of()).isEmpty(), equalTo(true));
  }
}
