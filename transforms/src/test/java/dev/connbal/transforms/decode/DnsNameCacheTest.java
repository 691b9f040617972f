package dev.connbal.transforms.decode;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

import dev.connbal.transforms.testing.Packets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One instance per exact spelling among recent names; every name still the one on the wire. */
class DnsNameCacheTest {
  private static final DnsName WWW = DnsName.fromPresentation("www.example.com.");

  /** {@code name}'s wire form at the start of a longer scratch buffer, as the reader has it. */
  private static byte[] scratch(DnsName name) {
    byte[] scratch = new byte[DnsName.MAX_WIRE_LENGTH];
    System.arraycopy(name.wire(), 0, scratch, 0, name.wire().length);
    return scratch;
  }

  @Test
  void theSameSpellingGivesTheSameInstance() {
    DnsNameCache cache = new DnsNameCache();
    DnsName first = cache.name(scratch(WWW), WWW.wire().length);
    DnsName second = cache.name(scratch(WWW), WWW.wire().length);

    assertThat(first.presentation(), is("www.example.com."));
    assertThat(second, sameInstance(first));
  }

  @Test
  void anotherCaseIsAnotherInstanceThatKeepsItsCase() {
    DnsNameCache cache = new DnsNameCache();
    DnsName upper = DnsName.fromPresentation("WWW.Example.com.");
    DnsName lower = cache.name(scratch(WWW), WWW.wire().length);
    DnsName mixed = cache.name(scratch(upper), upper.wire().length);

    assertThat(mixed, not(sameInstance(lower)));
    assertThat(mixed.presentation(), is("WWW.Example.com."));
    assertThat(lower.presentation(), is("www.example.com."));
    // Still one name to DNS.
    assertThat(mixed, is(lower));
  }

  @Test
  void aPrefixOfACachedNameIsNotThatName() {
    DnsNameCache cache = new DnsNameCache();
    DnsName longer = DnsName.fromPresentation("www.example.com.x.");
    cache.name(scratch(longer), longer.wire().length);
    byte[] shorter = scratch(longer);
    // The labels of "www.example.com." (16 bytes), then the root byte instead of "x"'s length.
    shorter[16] = 0;

    assertThat(cache.name(shorter, 17).presentation(), is("www.example.com."));
  }

  /** More names than slots: those that lost their slot are made again, never mixed up. */
  @Test
  void namesThatCollideAreEachStillThemselves() {
    DnsNameCache cache = new DnsNameCache();
    int count = 3 * DnsNameCache.SLOTS;
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < count; i++) {
        DnsName wanted = DnsName.fromPresentation("host-" + i + ".example.");
        DnsName got = cache.name(scratch(wanted), wanted.wire().length);
        assertThat(got.presentation(), is("host-" + i + ".example."));
      }
    }
  }

  /** Through the reader: the names of a response decoded twice are the first decoding's. */
  @Test
  void aReaderWithACacheMakesEachRepeatedNameOnce() throws Exception {
    byte[] response =
        Packets.dnsResponseMessage(
            9,
            "_svc._tcp.example",
            33,
            List.of(Packets.srv("_svc._tcp.example", "b1.example", 80)),
            List.of(),
            List.of(Packets.a("b1.example", "10.1.0.1")));
    DnsMessageReader reader = new DnsMessageReader(new DnsNameCache());
    DnsMessage first = reader.decode(response, 0, response.length);
    DnsMessage second = reader.decode(response, 0, response.length);

    assertThat(second.questionName(), sameInstance(first.questionName()));
    assertThat(
        second.answers().get(0).srvTarget(), sameInstance(first.answers().get(0).srvTarget()));
    assertThat(second.additionals().get(0).name(), sameInstance(first.additionals().get(0).name()));
    assertThat(second.additionals().get(0).name().presentation(), is("b1.example."));
  }
}
