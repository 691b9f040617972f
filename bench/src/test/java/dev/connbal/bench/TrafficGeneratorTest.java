package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generator's own promises: deterministic bytes, the requested size, well-formed frames with
 * correct lengths and checksums, strictly increasing timestamps, every kind of traffic the scenario
 * describes in a realistic mix of mostly small packets (about 10 M per GiB), and an expected TSV
 * that exercises every kind of row.
 */
class TrafficGeneratorTest {
  private static final long SIZE = 2L << 20;
  private static final long SEED = 42;

  private static byte[] capture;
  private static TrafficGenerator.Result result;
  private static FrameCensus census;

  @BeforeAll
  static void generate() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    result = TrafficGenerator.generate(out, SIZE, SEED);
    capture = out.toByteArray();
    census = FrameCensus.of(capture);
  }

  @Test
  void sameSeedGivesTheSameCaptureAndExpectation() throws IOException {
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    TrafficGenerator.Result second = TrafficGenerator.generate(again, SIZE, SEED);
    assertThat(Arrays.equals(again.toByteArray(), capture), is(true));
    assertThat(second.expectedTsv(), equalTo(result.expectedTsv()));
  }

  @Test
  void anotherSeedGivesOtherTraffic() throws IOException {
    ByteArrayOutputStream other = new ByteArrayOutputStream();
    TrafficGenerator.generate(other, SIZE, SEED + 1);
    assertThat(Arrays.equals(other.toByteArray(), capture), is(false));
  }

  @Test
  void writesAboutTheRequestedSize() {
    assertThat((long) capture.length, equalTo(result.bytes()));
    assertThat(result.bytes(), greaterThanOrEqualTo(SIZE));
    assertThat(result.bytes(), lessThan(SIZE + (64 << 10)));
    assertThat(census.records, equalTo(result.packets()));
    assertThat((long) census.arp, equalTo(result.notIpFrames()));
    assertThat((long) census.ipv6, equalTo(result.ipv6Frames()));
  }

  @Test
  void framesHaveCorrectLengthsAndChecksums() {
    assertThat(census.problems, equalTo(List.of()));
    assertThat(census.timestampsStrictlyIncrease, is(true));
  }

  @Test
  void containsEveryKindOfTraffic() {
    assertThat(census.arp, greaterThan(0));
    assertThat(census.ipv6, greaterThan(0));
    assertThat(census.vlanTagged, greaterThan(0));
    assertThat(census.dnsQueries, greaterThan(0));
    assertThat(census.dnsResponses, greaterThan(0));
    assertThat(census.synRetransmits, greaterThan(0));
    assertThat(census.ecnSyns, greaterThan(0));
    assertThat(census.resets, greaterThan(0));
    assertThat(census.fullSegments, greaterThan(0));
    assertThat(census.pureAcks, greaterThan(0));
    assertThat(census.smallDataSegments, greaterThan(0));
  }

  @Test
  void mostPacketsAreSmallAsInRealTraffic() {
    double records = census.records;
    // Pure ACKs and small requests and answers dominate; full-size segments are a minority.
    assertThat(census.pureAcks / records, greaterThan(0.25));
    assertThat(census.smallDataSegments / records, greaterThan(0.30));
    assertThat(census.fullSegments / records, lessThan(0.01));
    assertThat(census.recordsUpTo128Bytes / records, greaterThan(0.80));
    // A connection carries 10 to 25 packets (counted per first SYN), and DNS stays a few percent.
    assertThat(records / census.firstSyns(), allOf(greaterThan(10.0), lessThan(25.0)));
    assertThat(
        (census.dnsQueries + census.dnsResponses) / records,
        allOf(greaterThan(0.02), lessThan(0.10)));
  }

  /** The benchmark targets assume 1 GiB of capture holds 10 M packets (within 10 %). */
  @Test
  void oneGibHoldsAboutTenMillionPackets() throws IOException {
    for (long seed : new long[] {1, SEED}) {
      TrafficGenerator.Result big =
          TrafficGenerator.generate(OutputStream.nullOutputStream(), 20L << 20, seed);
      double packetsPerGib = big.packets() * (double) (1L << 30) / big.bytes();
      assertThat("seed " + seed, packetsPerGib, allOf(greaterThan(9.0e6), lessThan(11.0e6)));
    }
  }

  @Test
  void expectationCoversEveryKindOfRow() {
    String tsv = result.expectedTsv();
    // Backends listed but never connected to.
    assertThat(tsv, containsString(":?\t0\t"));
    // SRV backends, named by their service, also with no connection.
    assertThat(
        Pattern.compile(":389\t0\t\\d+\t_ldap\\._tcp\\.corp\\.example\\.\n").matcher(tsv).find(),
        is(true));
    // Multi-A backends with counted connections.
    assertThat(Pattern.compile(":443\t[1-9]\\d*\t\\d+\t").matcher(tsv).find(), is(true));
    // Clients above 127.x sort after 10.x (unsigned order).
    assertThat(tsv, containsString("192.168.050."));
    assertThat(tsv.indexOf("192.168.050."), greaterThan(tsv.lastIndexOf("010.001.")));
    // Alias (CNAME) and single-A answers make no backends.
    assertThat(tsv, not(containsString("203.000.113.")));
    assertThat(tsv, not(containsString("198.051.100.")));
    assertThat(result.countedAttempts(), greaterThan(0L));
    assertThat(result.uncountedAttempts(), greaterThan(0L));
  }
}
