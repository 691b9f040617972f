package dev.connbal.transforms;

import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.TYPE_SRV;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.cname;
import static dev.connbal.transforms.testing.Packets.ns;
import static dev.connbal.transforms.testing.Packets.opt;
import static dev.connbal.transforms.testing.Packets.srv;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.connbal.transforms.testing.Capture;
import dev.connbal.transforms.testing.Packets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of the whole analysis: damaged DNS payloads (inside intact UDP frames) and damaged
 * frames, followed by a known-good lookup and connection attempts, run through {@link
 * ConnBal#analyze()} on the Direct runner. No exception escapes the run, every packet is counted,
 * and the good traffic after the garbage still yields exactly its rows: nothing the garbage did
 * (malformed messages, odd events, half-decoded frames) leaks into what comes after it.
 *
 * <p>The garbage comes from traffic of other hosts (10.66.0.0/16) and lies more than 10 s before
 * the good lookup, so no garbage query can be answered by the good response. Each try is one
 * pipeline run over dozens of damaged packets, so tries are few.
 */
class MutatedTrafficPropertiesTest {
  private static final Duration PER_RUN = Duration.ofSeconds(60);
  private static final String CLIENT = "10.0.0.1";
  private static final String RESOLVER = "10.0.0.53";
  private static final String GOOD_NAME = "good.example";
  private static final long GARBAGE_TIME = 1_000;
  private static final long GOOD_TIME = 2_000;

  private static final List<byte[]> MESSAGES =
      List.of(
          Packets.dnsQueryMessage(1, "www.example.com", TYPE_A),
          Packets.dnsResponseMessage(
              2,
              "web.example",
              TYPE_A,
              a("web.example", "10.66.1.1"),
              a("web.example", "10.66.1.2")),
          Packets.dnsResponseMessage(
              3,
              "_svc._tcp.example",
              TYPE_SRV,
              List.of(
                  srv("_svc._tcp.example", "b1.example", 80),
                  srv("_svc._tcp.example", "b2.example", 81)),
              List.of(ns("example", "ns1.example")),
              List.of(a("b1.example", "10.66.2.1"), a("b2.example", "10.66.2.2"), opt())),
          Packets.dnsResponseMessage(
              4,
              "www.example",
              TYPE_A,
              cname("www.example", "edge.example"),
              a("edge.example", "10.66.3.1")));

  private static final List<byte[]> FRAMES =
      List.of(
          Packets.dnsQuery("10.66.0.1", 5353, "10.66.0.53", 2, "web.example", TYPE_A),
          Packets.udpFrame("10.66.0.53", 53, "10.66.0.1", 5353, MESSAGES.get(1)),
          Packets.vlan(
              Packets.udpFrame("10.66.0.53", 53, "10.66.0.1", 5353, MESSAGES.get(2)),
              Packets.TPID_8021Q,
              7),
          Packets.syn("10.66.0.1", 40000, "10.66.1.1", 443, 77),
          Packets.tcp("10.66.1.1", 443, "10.66.0.1", 40000, Packets.SYN | Packets.ACK, 99),
          Packets.tcp("10.66.0.1", 40000, "10.66.1.1", 443, Packets.FIN | Packets.ACK, 78));

  enum Target {
    DNS_PAYLOAD,
    FRAME
  }

  /** A damaged packet: one seed message or frame and the edits made to it. */
  record Garbage(Target target, int seed, long editSeed, int edits) {
    byte[] frame() {
      Random rnd = new Random(editSeed);
      if (target == Target.DNS_PAYLOAD) {
        byte[] message = edit(MESSAGES.get(seed % MESSAGES.size()), rnd, edits);
        boolean response = rnd.nextBoolean();
        return response
            ? Packets.udpFrame("10.66.0.53", 53, "10.66.0.1", 5353, message)
            : Packets.udpFrame("10.66.0.1", 5353, "10.66.0.53", 53, message);
      }
      return edit(FRAMES.get(seed % FRAMES.size()), rnd, edits);
    }

    /** Bit flips, overwrites, planted compression pointers, truncations, duplicated slices. */
    private static byte[] edit(byte[] original, Random rnd, int edits) {
      byte[] b = original.clone();
      for (int i = 0; i < edits && b.length > 0; i++) {
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(5)) {
          case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
          case 1 -> b[at] = (byte) rnd.nextInt(256);
          case 2 -> {
            if (at + 1 < b.length) {
              b[at] = (byte) (0xc0 | rnd.nextInt(4));
              b[at + 1] = (byte) rnd.nextInt(256);
            }
          }
          case 3 -> b = Arrays.copyOf(b, at);
          default -> {
            int len = Math.min(b.length - at, 1 + rnd.nextInt(24));
            byte[] longer = Arrays.copyOf(b, b.length + len);
            System.arraycopy(b, at, longer, at + len, b.length - at);
            b = longer;
          }
        }
      }
      return b;
    }
  }

  @Provide
  Arbitrary<Garbage> garbage() {
    return Combinators.combine(
            Arbitraries.of(Target.class),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.longs(),
            Arbitraries.integers().between(1, 6))
        .as(Garbage::new);
  }

  @Property(tries = 30)
  void goodTrafficAfterGarbageKeepsItsRows(
      @ForAll @Size(min = 10, max = 150) List<@From("garbage") Garbage> garbage,
      @ForAll boolean allStreams)
      throws IOException {
    Capture capture = Capture.empty();
    for (int i = 0; i < garbage.size(); i++) {
      capture = capture.then(GARBAGE_TIME, i, garbage.get(i).frame());
    }
    capture =
        capture
            .then(GOOD_TIME, 0, Packets.dnsQuery(CLIENT, 5000, RESOLVER, 7, GOOD_NAME, TYPE_A))
            .then(
                GOOD_TIME,
                1_000,
                Packets.dnsResponse(
                    CLIENT,
                    5000,
                    RESOLVER,
                    7,
                    GOOD_NAME,
                    TYPE_A,
                    a(GOOD_NAME, "10.9.0.1"),
                    a(GOOD_NAME, "10.9.0.2")))
            .then(GOOD_TIME + 1, 0, Packets.syn(CLIENT, 40001, "10.9.0.1", 443, 1))
            .then(GOOD_TIME + 1, 1, Packets.syn(CLIENT, 40002, "10.9.0.2", 443, 2))
            .then(GOOD_TIME + 1, 2, Packets.syn(CLIENT, 40003, "10.9.0.2", 443, 3));
    Path scratch = Files.createTempDirectory("mutated-traffic");
    try {
      Path file = capture.writeTo(scratch.resolve("capture.snoop"));
      ConnBalRun.Output out =
          assertTimeoutPreemptively(
              PER_RUN,
              () ->
                  ConnBalRun.run(
                      ConnBalRun.fastDirectOptions(),
                      file.toString(),
                      ConnBal.analyze().withAllStreams(allStreams),
                      scratch));
      String goodRows =
          out.tsv()
              .lines()
              .filter(line -> line.startsWith("010.000.000.001\t"))
              .map(line -> line + "\n")
              .collect(Collectors.joining());
      assertThat(
          goodRows,
          equalTo(
              "010.000.000.001\t010.009.000.001:443\t1\t1\tgood.example.\n"
                  + "010.000.000.001\t010.009.000.002:443\t2\t1\tgood.example.\n"));
      assertThat(out.report().packets(), is((long) garbage.size() + 5));
      assertThat(out.readErrors().isEmpty(), is(true));
      Statistics.collect(out.report().dnsMalformed() > 0 ? "malformed DNS" : "no malformed DNS");
    } finally {
      try (Stream<Path> paths = Files.walk(scratch)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    // The garbage reaches the DNS decoder with damage it must report.
    Statistics.coverage(c -> c.check("malformed DNS").percentage(p -> p > 50));
  }
}
