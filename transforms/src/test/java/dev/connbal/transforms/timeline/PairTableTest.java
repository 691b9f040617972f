package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.connbal.transforms.keys.IpAddress;
import org.junit.jupiter.api.Test;

/** The timeline's map of (client, backend) pairs: lookups by both addresses, growth, families. */
class PairTableTest {
  private static final IpAddress CLIENT = IpAddress.parse("10.0.0.1");
  private static final IpAddress BACKEND = IpAddress.parse("192.168.1.10");

  @Test
  void findsAPairOnlyInItsOrder() {
    PairTable<String> table = new PairTable<>();
    table.put(CLIENT, BACKEND, "a");
    assertThat(table.get(CLIENT, BACKEND), equalTo("a"));
    assertThat(table.get(BACKEND, CLIENT), is(nullValue()));
    assertThat(table.get(CLIENT, IpAddress.parse("192.168.1.11")), is(nullValue()));
    assertThat(table.size(), is(1));
  }

  @Test
  void putReplacesTheValueOfAKnownPair() {
    PairTable<String> table = new PairTable<>();
    table.put(CLIENT, BACKEND, "a");
    table.put(IpAddress.parse("10.0.0.1"), IpAddress.parse("192.168.1.10"), "b");
    assertThat(table.get(CLIENT, BACKEND), equalTo("b"));
    assertThat(table.size(), is(1));
    assertThat(table.values(), containsInAnyOrder("b"));
  }

  @Test
  void anIpv6AddressIsNotTheIpv4AddressOfTheSameLowBits() {
    PairTable<String> table = new PairTable<>();
    table.put(CLIENT, BACKEND, "v4");
    IpAddress v6 = IpAddress.parse("::c0a8:10a");
    table.put(CLIENT, v6, "v6");
    assertThat(table.get(CLIENT, BACKEND), equalTo("v4"));
    assertThat(table.get(CLIENT, v6), equalTo("v6"));
    assertThat(table.size(), is(2));
  }

  /** 1,000 pairs: the table grows from 64 slots to 2,048 and keeps every pair. */
  @Test
  void keepsEveryPairAsItGrows() {
    PairTable<Integer> table = new PairTable<>();
    for (int i = 0; i < 1000; i++) {
      table.put(IpAddress.ofV4(0x0A000000 + i / 10), IpAddress.ofV4(0xC0A80000 + i % 10), i);
    }
    assertThat(table.size(), is(1000));
    assertThat(table.values().size(), is(1000));
    for (int i = 0; i < 1000; i++) {
      assertThat(
          table.get(IpAddress.ofV4(0x0A000000 + i / 10), IpAddress.ofV4(0xC0A80000 + i % 10)),
          is(i));
    }
    assertThat(
        table.get(IpAddress.ofV4(0x0A000000 + 100), IpAddress.ofV4(0xC0A80000)), is(nullValue()));
  }
}
