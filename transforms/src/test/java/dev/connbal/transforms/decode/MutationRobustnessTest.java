package dev.connbal.transforms.decode;

import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.cname;
import static dev.connbal.transforms.testing.Packets.ns;
import static dev.connbal.transforms.testing.Packets.opt;
import static dev.connbal.transforms.testing.Packets.srv;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

import dev.connbal.snoop.LinkTypes;
import dev.connbal.transforms.decode.DnsDecodeException.Reason;
import dev.connbal.transforms.testing.Packets;
import dev.connbal.transforms.testing.RawDns;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random bit flips, byte overwrites, pointer plants, truncations and splices of valid messages and
 * frames: decoding only ever returns or throws {@link DnsDecodeException}, and names it returns
 * stay TSV-safe. The timeout only guards against a hang; nothing is timed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MutationRobustnessTest {
  private static final int ROUNDS = 30_000;

  private static final int[] OTHER_LINK_TYPES = {
    LinkTypes.NULL,
    LinkTypes.RAW,
    LinkTypes.LOOP,
    LinkTypes.LINUX_SLL,
    LinkTypes.IPV4,
    LinkTypes.IPV6,
    LinkTypes.LINUX_SLL2
  };

  private static final List<byte[]> MESSAGES =
      List.of(
          Packets.dnsQueryMessage(1, "www.example.com", 1),
          Packets.dnsResponseMessage(
              2,
              "web.example",
              1,
              a("web.example", "10.0.0.1"),
              a("web.example", "10.0.0.2"),
              a("web.example", "10.0.0.3")),
          Packets.dnsResponseMessage(
              3,
              "_svc._tcp.example",
              33,
              List.of(
                  srv("_svc._tcp.example", "b1.example", 80),
                  srv("_svc._tcp.example", "b2.example", 81)),
              List.of(ns("example", "ns1.example")),
              List.of(a("b1.example", "10.1.0.1"), a("b2.example", "10.1.0.2"), opt())),
          Packets.dnsResponseMessage(
              4,
              "www.example",
              1,
              cname("www.example", "edge.example"),
              cname("edge.example", "pop.example"),
              a("pop.example", "10.2.0.1")),
          compressedResponse());

  private static byte[] compressedResponse() {
    RawDns m = RawDns.header(0x77, RawDns.FLAGS_RESPONSE, 1, 2, 1, 1);
    m.name("_http._tcp.example.com").u16(33).u16(1);
    int exampleCom = RawDns.QUESTION_OFFSET + 11;
    m.pointer(RawDns.QUESTION_OFFSET).u16(33).u16(1).u32(60).u16(11).u16(1).u16(1).u16(8080);
    int b1 = m.position();
    m.label("b1").pointer(exampleCom);
    m.pointer(RawDns.QUESTION_OFFSET)
        .u16(33)
        .u16(1)
        .u32(60)
        .u16(11)
        .u16(1)
        .u16(1)
        .u16(8081)
        .label("b2")
        .pointer(b1 + 3);
    m.pointer(exampleCom).u16(2).u16(1).u32(60).u16(6);
    int ns1 = m.position();
    m.label("ns1").pointer(exampleCom);
    m.pointer(ns1).u16(1).u16(1).u32(60).u16(4).bytes(10, 0, 0, 53);
    return m.build();
  }

  @Test
  void mutatedDnsMessagesDecodeOrFailWithAReason() throws Exception {
    for (byte[] message : MESSAGES) {
      // The seeds themselves are valid.
      DnsMessage.decode(message, 0, message.length);
    }
    Random random = new Random(20261126L);
    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    int decoded = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] mutated = mutate(MESSAGES.get(random.nextInt(MESSAGES.size())), random);
      try {
        DnsMessage m = DnsMessage.decode(mutated, 0, mutated.length);
        assertTsvSafe(m, mutated);
        decoded++;
      } catch (DnsDecodeException e) {
        seen.add(e.reason());
      } catch (RuntimeException | Error e) {
        fail("decoding " + HexFormat.of().formatHex(mutated) + " threw " + e, e);
      }
    }
    // The mutations reach deep into the decoder, not just its first checks.
    assertThat(decoded, greaterThan(ROUNDS / 20));
    assertThat(seen.size(), greaterThanOrEqualTo(10));
  }

  /**
   * A reader that decodes messages in turn, with a name cache (as a range's reading loop does),
   * reuses arrays and names that earlier messages filled: every mutated message must still decode
   * to what a fresh reader makes of it, name spellings included, or fail for the same reason.
   */
  @Test
  void aReusedReaderWithANameCacheDecodesAsAFreshOne() {
    DnsMessageReader reused = new DnsMessageReader(new DnsNameCache());
    Random random = new Random(20261203L);
    int decoded = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] message = MESSAGES.get(random.nextInt(MESSAGES.size()));
      byte[] input = random.nextBoolean() ? message : mutate(message, random);
      String fresh;
      try {
        fresh = DnsMessage.decode(input, 0, input.length).toString();
      } catch (DnsDecodeException e) {
        fresh = "failed: " + e.reason();
      }
      String again;
      try {
        again = reused.decode(input, 0, input.length).toString();
        decoded++;
      } catch (DnsDecodeException e) {
        again = "failed: " + e.reason();
      }
      assertThat(HexFormat.of().formatHex(input), again, is(fresh));
    }
    assertThat(decoded, greaterThan(ROUNDS / 4));
  }

  @Test
  void mutatedFramesDecodeOrAreCounted() {
    byte[] srvResponse =
        Packets.dnsResponse(
            "10.0.0.1",
            5353,
            "10.0.0.53",
            3,
            "_svc._tcp.example",
            33,
            List.of(srv("_svc._tcp.example", "b1.example", 80)),
            List.of(),
            List.of(a("b1.example", "10.1.0.1")));
    List<byte[]> frames =
        List.of(
            Packets.syn("10.0.0.1", 40000, "10.1.0.1", 80, 1),
            Packets.vlan(
                Packets.tcp("10.1.0.1", 80, "10.0.0.1", 40000, Packets.SYN | Packets.ACK, 9),
                Packets.TPID_8021Q,
                10),
            Packets.dnsQuery("10.0.0.1", 5353, "10.0.0.53", 3, "_svc._tcp.example", 33),
            srvResponse,
            Packets.vlan(Packets.vlan(srvResponse, Packets.TPID_8021Q, 1), Packets.TPID_8021AD, 2),
            Packets.udpFrame("10.0.0.53", 53, "10.0.0.1", 5353, compressedResponse()),
            Packets.arpRequest("10.0.0.1", "10.0.0.2"),
            Packets.ipv6Udp("2001:db8::1", 1, "2001:db8::53", 53, new byte[20]),
            Packets.dnsResponse(
                "2001:db8::1",
                5353,
                "2001:db8::53",
                4,
                "v6.example",
                28,
                Packets.aaaa("v6.example", "2001:db8:1::1"),
                Packets.aaaa("v6.example", "2001:db8:1::2")),
            // Hop-by-hop, then a first fragment, then TCP: every extension header to mutate.
            Packets.ipv6Frame(
                "2001:db8::1",
                "2001:db8:1::1",
                0,
                Packets.concat(
                    Packets.extensionHeader(44, 0),
                    Packets.fragmentHeader(6, 0, true),
                    Packets.bytes(
                        Packets.tcpBuilder(
                            "2001:db8::1", 40000, "2001:db8:1::1", 443, Packets.SYN, 1)))));
    Random random = new Random(42L);
    DecodeStats stats = new DecodeStats();
    int[] events = new int[1];
    FrameVisitor visitor =
        new FrameVisitor() {
          @Override
          public void tcp(
              long sh, long sl, int srcPort, long dh, long dl, int dstPort, int flags, long seq) {
            events[0]++;
            assertThat(flags >= 0 && flags <= 0xff && seq >= 0 && seq <= 0xffffffffL, is(true));
          }

          @Override
          public void dns(
              long sh,
              long sl,
              int sp,
              long dh,
              long dl,
              int dp,
              byte[] frame,
              int offset,
              int length) {
            events[0]++;
            assertThat(sp == 53 || dp == 53, is(true));
            try {
              assertTsvSafe(DnsMessage.decode(frame, offset, length), frame);
            } catch (DnsDecodeException e) {
              stats.dnsMalformed++;
            }
          }
        };
    // The same bytes under every other link header exercise those headers' bounds checks.
    DecodeStats otherLinks = new DecodeStats();
    for (int round = 0; round < ROUNDS; round++) {
      byte[] mutated = mutate(frames.get(random.nextInt(frames.size())), random);
      try {
        FrameDecoder.decode(mutated, LinkTypes.ETHERNET, visitor, stats);
        for (int linkType : OTHER_LINK_TYPES) {
          FrameDecoder.decode(mutated, linkType, visitor, otherLinks);
        }
      } catch (RuntimeException | Error e) {
        fail("decoding frame " + HexFormat.of().formatHex(mutated) + " threw " + e, e);
      }
    }

    assertThat(stats.frames, is((long) ROUNDS));
    // Every frame is an event, a skip, or silently irrelevant (UDP elsewhere, ICMP ...).
    assertThat(
        stats.notIp + stats.noTransportHeader + stats.malformedFrames + stats.fragments + events[0]
            <= stats.frames,
        is(true));
    assertThat(otherLinks.frames, is((long) ROUNDS * OTHER_LINK_TYPES.length));
    assertThat(events[0], greaterThan(ROUNDS / 10));
    assertThat(stats.malformedFrames, greaterThan(0L));
    assertThat(stats.dnsMalformed, greaterThan(0L));
  }

  private static void assertTsvSafe(DnsMessage m, byte[] input) {
    checkName(m.questionName(), input);
    for (List<DnsRecord> section : List.of(m.answers(), m.authorities(), m.additionals())) {
      for (DnsRecord r : section) {
        checkName(r.name(), input);
        if (r.type() == DnsRecord.SRV) {
          checkName(r.srvTarget(), input);
        } else if (r.type() == DnsRecord.CNAME) {
          checkName(r.cnameTarget(), input);
        }
      }
    }
  }

  private static void checkName(DnsName name, byte[] input) {
    String p = name.presentation();
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        fail("unsafe presentation " + p + " from " + HexFormat.of().formatHex(input));
      }
    }
    if (!DnsName.fromPresentation(p).equals(name)) {
      fail("presentation " + p + " does not parse back, from " + HexFormat.of().formatHex(input));
    }
  }

  /** One to four random edits. */
  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && b.length > 0; i++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) random.nextInt(256);
        case 2 -> {
          // A compression pointer to a random offset near the start.
          if (at + 1 < b.length) {
            b[at] = (byte) 0xc0;
            b[at + 1] = (byte) random.nextInt(Math.min(256, b.length + 8));
          }
        }
        case 3 -> b = Arrays.copyOf(b, at);
        case 4 -> {
          // Duplicate a slice in place (lengths and counts stop matching the content).
          int len = Math.min(b.length - at, 1 + random.nextInt(16));
          byte[] longer = new byte[b.length + len];
          System.arraycopy(b, 0, longer, 0, at + len);
          System.arraycopy(b, at, longer, at + len, b.length - at);
          b = longer;
        }
        default -> {
          // Small or huge values into a 16-bit field (counts, lengths, ports).
          if (at + 1 < b.length) {
            int value = random.nextBoolean() ? random.nextInt(4) : 0xff00 | random.nextInt(256);
            b[at] = (byte) (value >>> 8);
            b[at + 1] = (byte) value;
          }
        }
      }
    }
    return b;
  }
}
