package dev.connbal.transforms.keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The map agrees with a {@link HashMap} through every growth, for keys present or not. */
class LongKeyedMapTest {
  @Test
  void agreesWithAHashMapAcrossGrowth() {
    for (int size : new int[] {0, 1, 31, 32, 33, 64, 1000, 40_000}) {
      Random random = new Random(size);
      Map<Long, String> expected = new HashMap<>();
      LongKeyedMap<String> map = new LongKeyedMap<>();
      while (expected.size() < size) {
        // Clients and backends of two /16s, as the timeline's pairs are.
        long pair =
            ClientBackend.of(
                0x0A000000 | random.nextInt(1 << 16), 0x0A010000 | random.nextInt(1 << 16));
        String value = Long.toHexString(pair);
        expected.putIfAbsent(pair, value);
        assertThat(map.computeIfAbsent(pair, Long::toHexString), equalTo(value));
        assertThat(map.size(), equalTo(expected.size()));
      }
      // Every key present finds its value without creating one; every key absent creates one.
      expected.forEach(
          (pair, value) ->
              assertThat(map.computeIfAbsent(pair, LongKeyedMapTest::notCreated), equalTo(value)));
      for (int i = 0; i < 1_000; i++) {
        long other = random.nextLong();
        if (!expected.containsKey(other)) {
          expected.put(other, "new " + other);
          assertThat(map.computeIfAbsent(other, k -> "new " + k), equalTo("new " + other));
          assertThat(map.size(), equalTo(expected.size()));
        }
      }
      List<String> values = new ArrayList<>(map.values());
      List<String> expectedValues = new ArrayList<>(expected.values());
      Collections.sort(values);
      Collections.sort(expectedValues);
      assertThat(values, equalTo(expectedValues));
    }
  }

  @Test
  void computeIfAbsentCreatesOnceAndKeepsTheFirstValue() {
    LongKeyedMap<StringBuilder> map = new LongKeyedMap<>();
    AtomicInteger created = new AtomicInteger();
    StringBuilder first =
        map.computeIfAbsent(0L, k -> new StringBuilder("v" + created.incrementAndGet()));
    StringBuilder again =
        map.computeIfAbsent(0L, k -> new StringBuilder("v" + created.incrementAndGet()));
    assertThat(again, sameInstance(first));
    assertThat(created.get(), equalTo(1));
    assertThat(map.values(), contains(sameInstance(first)));
  }

  @Test
  void aNullValueIsRefusedAndNotStored() {
    LongKeyedMap<String> map = new LongKeyedMap<>();
    assertThrows(NullPointerException.class, () -> map.computeIfAbsent(7L, k -> null));
    assertThat(map.size(), equalTo(0));
    assertThat(map.values(), empty());
  }

  private static String notCreated(long key) {
    throw new AssertionError("a value was created for key " + key + ", which is present");
  }
}
