package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.connbal.bench.FrameCensus.DnsMessage;
import dev.connbal.bench.TrafficGenerator.Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DNS-heavy profile's promises: only what the filter {@code (tcp and tcp[13] == 0x02) or (udp
 * and port 53)} keeps, about 8.0 M packets per GiB and half of them DNS, thousands of clients in
 * several networks, SRV targets resolved by name before and after an SRV answer named them (by the
 * clients the scenario says, when it says), and an expected TSV with every kind of row.
 */
class DnsHeavyTrafficTest {
  private static final long SIZE = 2L << 20;
  private static final long SEED = 42;
  private static final String IMAPS = "_imaps._tcp.mail.example.";

  /** 192.168.60.0/24: the legacy clients. */
  private static final int LEGACY_NETWORK = 0xc0a83c00;

  @TempDir static Path dir;
  private static byte[] capture;
  private static TrafficGenerator.Result result;
  private static FrameCensus census;

  @BeforeAll
  static void generate() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    result = TrafficGenerator.generate(out, SIZE, SEED, Profile.DNS_HEAVY);
    capture = out.toByteArray();
    census = FrameCensus.of(capture);
  }

  @Test
  void sameSeedGivesTheSameCaptureAndExpectation() throws IOException {
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    TrafficGenerator.Result second =
        TrafficGenerator.generate(again, SIZE, SEED, Profile.DNS_HEAVY);
    assertThat(Arrays.equals(again.toByteArray(), capture), is(true));
    assertThat(second.expectedTsv(), equalTo(result.expectedTsv()));
  }

  @Test
  void containsOnlyDnsAndPureSyns() {
    assertThat(census.problems, empty());
    assertThat(census.timestampsStrictlyIncrease, is(true));
    assertThat(census.arp + census.ipv6 + census.vlanTagged, is(0));
    assertThat(census.otherTcp + census.otherUdp, is(0));
    assertThat(census.pureSyns + census.dnsQueries + census.dnsResponses, is((int) census.records));
    assertThat(census.synRetransmits, greaterThan(0));
    assertThat((long) census.dnsQueries + census.dnsResponses, equalTo(result.dnsPackets()));
    assertThat(census.records, equalTo(result.packets()));
    assertThat(result.notIpFrames(), is(0L));
    assertThat(result.ipv6Frames(), is(0L));
    assertThat(result.bytes(), allOf(greaterThanOrEqualTo(SIZE), lessThan(SIZE + (64 << 10))));
  }

  /** tcpdump's own filter engine, on the capture converted to pcap, keeps every packet. */
  @Test
  void theOriginalToolsRecommendedFilterKeepsEveryPacket() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/editcap"))
            && Files.isExecutable(Path.of("/usr/bin/tcpdump")),
        "editcap/tcpdump (Debian packages wireshark-common, tcpdump) not installed");
    Path snoop = dir.resolve("filter.snoop");
    Path pcap = dir.resolve("filter.pcap");
    Files.write(snoop, capture);
    run("editcap", "-F", "pcap", snoop.toString(), pcap.toString());
    String filter = "(tcp and tcp[13] == 0x02) or (udp and port 53)";
    assertThat(run("tcpdump", "-n", "-r", pcap.toString(), "not (" + filter + ")"), equalTo(""));
    assertThat(
        run("tcpdump", "-n", "-r", pcap.toString(), filter).lines().count(),
        equalTo(census.records));
  }

  /** bench/run and the figures assume this density and mix. */
  @Test
  void oneGibHoldsEightMillionPacketsHalfOfThemDns() throws IOException {
    TrafficGenerator.Result big =
        TrafficGenerator.generate(OutputStream.nullOutputStream(), 16L << 20, 1, Profile.DNS_HEAVY);
    for (TrafficGenerator.Result r : List.of(result, big)) {
      double packetsPerGib = r.packets() * (double) (1L << 30) / r.bytes();
      assertThat(packetsPerGib, allOf(greaterThan(7.8e6), lessThan(8.2e6)));
      assertThat((double) r.dnsPackets() / r.packets(), allOf(greaterThan(0.47), lessThan(0.53)));
    }
  }

  /** 2 MiB already hold lookups of thousands of the 4,800 clients, in four /16s and 29 /24s. */
  @Test
  void thousandsOfClientsInSeveralNetworks() {
    Set<Integer> clients = census.dns.stream().map(DnsMessage::client).collect(Collectors.toSet());
    assertThat(clients.size(), greaterThanOrEqualTo(2_000));
    assertThat(clients.stream().map(a -> a >>> 16).distinct().count(), is(4L));
    assertThat(clients.stream().map(a -> a >>> 8).distinct().count(), is(29L));
  }

  /**
   * The scenario's order: the legacy clients resolve the two-address target by name only before the
   * first SRV answer of its service, the other clients only after; the one-address target is
   * resolved by name both before and after.
   */
  @Test
  void srvTargetsAreResolvedByNameBeforeAndAfterAnSrvAnswerNamedThem() {
    long learnt = firstImapsAnswer();
    List<DnsMessage> imap1 = aResponses("imap1.mail.example.", m -> true);
    assertThat(imap1.stream().filter(m -> m.micros() < learnt).count(), greaterThan(0L));
    assertThat(imap1.stream().filter(m -> m.micros() > learnt).count(), greaterThan(0L));
    List<DnsMessage> legacy = aResponses("imap2.mail.example.", DnsHeavyTrafficTest::isLegacy);
    List<DnsMessage> other = aResponses("imap2.mail.example.", m -> !isLegacy(m));
    assertThat(legacy.size(), greaterThan(0));
    assertThat(legacy.stream().filter(m -> m.micros() > learnt).count(), is(0L));
    assertThat(other.size(), greaterThan(0));
    assertThat(other.stream().filter(m -> m.micros() < learnt).count(), is(0L));
    assertThat(aResponses("dc1.corp.example.", m -> true).size(), greaterThan(0));
  }

  @Test
  void expectationCoversEveryKindOfRow() {
    String tsv = result.expectedTsv();
    long learnt = firstImapsAnswer();
    Set<Integer> srvClients =
        census.dns.stream()
            .filter(m -> m.name().equals(IMAPS))
            .map(DnsMessage::client)
            .collect(Collectors.toSet());
    // A client that never looked the SRV service up, taught by another client's SRV answer.
    Set<Integer> taught =
        aResponses("imap1.mail.example.", m -> m.micros() > learnt).stream()
            .map(DnsMessage::client)
            .filter(a -> !srvClients.contains(a))
            .collect(Collectors.toSet());
    assertThat(taught, not(empty()));
    for (int client : taught) {
      assertThat(
          tsv,
          Pattern.compile(
                  "(?m)^"
                      + Pattern.quote(ExpectedTable.padded(client))
                      + "\t010\\.020\\.005\\.001:993\t\\d+\t[1-9]\\d*\t"
                      + Pattern.quote(IMAPS)
                      + "$")
              .matcher(tsv)
              .find(),
          is(true));
    }
    // A client that resolved the target only before any SRV answer named it: no backend.
    Set<Integer> after =
        aResponses("imap1.mail.example.", m -> m.micros() > learnt).stream()
            .map(DnsMessage::client)
            .collect(Collectors.toSet());
    Set<Integer> early =
        aResponses("imap1.mail.example.", m -> m.micros() < learnt).stream()
            .map(DnsMessage::client)
            .filter(a -> !after.contains(a) && !srvClients.contains(a))
            .collect(Collectors.toSet());
    assertThat(early, not(empty()));
    for (int client : early) {
      assertThat(tsv, not(containsString(ExpectedTable.padded(client) + "\t010.020.005.001:")));
    }
    // The legacy clients' two-address answers: plain backends named after the target.
    assertThat(
        Pattern.compile(
                "(?m)^192\\.168\\.060\\.\\d{3}\t010\\.020\\.005\\.00[23]:(993|\\?)"
                    + "\t\\d+\t[1-9]\\d*\timap2\\.mail\\.example\\.$")
            .matcher(tsv)
            .find(),
        is(true));
    // Multi-A backends with counted connections, SRV backends without, listed-only backends.
    assertThat(Pattern.compile(":443\t[1-9]\\d*\t\\d+\t").matcher(tsv).find(), is(true));
    assertThat(
        Pattern.compile(":389\t0\t[1-9]\\d*\t_ldap\\._tcp\\.corp\\.example\\.\n")
            .matcher(tsv)
            .find(),
        is(true));
    assertThat(tsv, containsString(":?\t0\t"));
    // Alias and single-A answers, and the servers reached by configured address: no backends.
    assertThat(tsv, not(containsString("203.000.113.")));
    assertThat(tsv, not(containsString("198.051.100.")));
    assertThat(tsv, not(containsString("\t010.050.000.")));
    // Clients above 127.x sort after 10.x (unsigned order).
    assertThat(tsv.indexOf("\n192.168."), greaterThan(tsv.lastIndexOf("\n010.003.")));
    assertThat(result.countedAttempts(), greaterThan(0L));
    assertThat(result.uncountedAttempts(), greaterThan(0L));
  }

  /**
   * 39 packets, checked by hand against their tshark listing: a legacy client's two-address answer
   * for imap2 (both backends, named after it; its SYN to the first counts), dual-stack lookups of
   * orders-db and www (three and four backends; the AAAA answers, of one record each, make none), a
   * random pick from a six-address answer of redis, two rotated SRV answers of _ldap (three
   * backends each, on 389, the first target connected to), and 17 SYNs to configured addresses: the
   * 10.50.0.0/24 servers, and three addresses of DNS pools that no answer had listed for their
   * client, none of them counted.
   */
  @Test
  void aTinyCaptureExpectationCheckedByHand() throws IOException {
    TrafficGenerator.Result tiny =
        TrafficGenerator.generate(new ByteArrayOutputStream(), 2500, 5, Profile.DNS_HEAVY);
    assertThat(tiny.packets(), is(39L));
    assertThat(tiny.dnsPackets(), is(16L));
    assertThat(tiny.unmatchedResponses(), is(0L));
    assertThat(tiny.countedAttempts(), is(6L));
    assertThat(tiny.uncountedAttempts(), is(17L));
    assertThat(
        tiny.expectedTsv(),
        equalTo(
            """
        010.001.006.019\t172.016.003.001:?\t0\t1\torders-db.shop.svc.cluster.local.
        010.001.006.019\t172.016.003.002:?\t0\t1\torders-db.shop.svc.cluster.local.
        010.001.006.019\t172.016.003.003:5432\t1\t1\torders-db.shop.svc.cluster.local.
        010.002.006.030\t010.020.001.001:389\t1\t1\t_ldap._tcp.corp.example.
        010.002.006.030\t010.020.001.002:389\t0\t1\t_ldap._tcp.corp.example.
        010.002.006.030\t010.020.001.003:389\t0\t1\t_ldap._tcp.corp.example.
        010.003.001.003\t172.016.002.001:443\t1\t1\twww.shop.example.
        010.003.001.003\t172.016.002.002:?\t0\t1\twww.shop.example.
        010.003.001.003\t172.016.002.003:?\t0\t1\twww.shop.example.
        010.003.001.003\t172.016.002.004:?\t0\t1\twww.shop.example.
        010.003.001.132\t010.020.001.001:389\t0\t1\t_ldap._tcp.corp.example.
        010.003.001.132\t010.020.001.002:389\t1\t1\t_ldap._tcp.corp.example.
        010.003.001.132\t010.020.001.003:389\t0\t1\t_ldap._tcp.corp.example.
        192.168.051.015\t172.016.004.001:?\t0\t1\tredis-master.cache.svc.cluster.local.
        192.168.051.015\t172.016.004.002:6379\t1\t1\tredis-master.cache.svc.cluster.local.
        192.168.051.015\t172.016.004.003:?\t0\t1\tredis-master.cache.svc.cluster.local.
        192.168.051.015\t172.016.004.004:?\t0\t1\tredis-master.cache.svc.cluster.local.
        192.168.051.015\t172.016.004.005:?\t0\t1\tredis-master.cache.svc.cluster.local.
        192.168.051.015\t172.016.004.006:?\t0\t1\tredis-master.cache.svc.cluster.local.
        192.168.060.005\t010.020.005.002:993\t1\t1\timap2.mail.example.
        192.168.060.005\t010.020.005.003:?\t0\t1\timap2.mail.example.
        """));
  }

  @Test
  void profileSwitchChoosesTheTraffic() throws IOException {
    Path file = dir.resolve("switch.snoop");
    Path tsv = dir.resolve("switch.tsv");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] args = {
      "--bytes",
      "64K",
      "--out",
      file.toString(),
      "--expected",
      tsv.toString(),
      "--seed",
      "3",
      "--profile",
      "dns-heavy"
    };
    int exit =
        TrafficGenerator.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(exit, is(0));
    assertThat(out.toString(StandardCharsets.UTF_8), containsString("(dns-heavy)"));
    FrameCensus c = FrameCensus.of(Files.readAllBytes(file));
    assertThat(c.otherTcp + c.arp + c.ipv6, is(0));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    args[args.length - 1] = "dns";
    assertThat(
        TrafficGenerator.run(
            args,
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8)),
        is(1));
    assertThat(
        err.toString(StandardCharsets.UTF_8),
        containsString("--profile must be full or dns-heavy, got dns"));
  }

  private static long firstImapsAnswer() {
    return census.dns.stream()
        .filter(m -> m.response() && m.name().equals(IMAPS))
        .mapToLong(DnsMessage::micros)
        .min()
        .orElseThrow();
  }

  private static List<DnsMessage> aResponses(String name, Predicate<DnsMessage> which) {
    return census.dns.stream()
        .filter(m -> m.response() && m.type() == DnsWire.TYPE_A && m.name().equals(name))
        .filter(which)
        .toList();
  }

  private static boolean isLegacy(DnsMessage m) {
    return (m.client() & 0xffffff00) == LEGACY_NETWORK;
  }

  /** Runs a tool and returns its standard output (tcpdump reports the file on stderr). */
  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(String.join(" ", command), p.waitFor(), is(0));
    return out;
  }
}
