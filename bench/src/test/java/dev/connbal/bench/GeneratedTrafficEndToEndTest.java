package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.connbal.bench.TrafficGenerator.Profile;
import dev.connbal.pipeline.ConnBalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * connbal on a generated ~2 MB capture of each profile prints exactly the TSV the generator expects
 * (and the run report figures it knows), read with the default split size and in 64 KiB ranges
 * (many splits, records straddling every boundary), and the DNS-heavy one as many files.
 */
class GeneratedTrafficEndToEndTest {
  private static final long SEED = 20261126L;

  @TempDir static Path dir;
  private static Path capture;
  private static TrafficGenerator.Result generated;
  private static Path dnsHeavyCapture;
  private static TrafficGenerator.Result dnsHeavy;

  @BeforeAll
  static void generate() throws IOException {
    capture = dir.resolve("generated.snoop");
    try (OutputStream out = Files.newOutputStream(capture)) {
      generated = TrafficGenerator.generate(out, 2L << 20, SEED);
    }
    dnsHeavyCapture = dir.resolve("dns-heavy.snoop");
    try (OutputStream out = Files.newOutputStream(dnsHeavyCapture)) {
      dnsHeavy = TrafficGenerator.generate(out, 2L << 20, SEED, Profile.DNS_HEAVY);
    }
  }

  @Test
  void defaultRunnerPrintsTheExpectedTsvAndReport() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(connbal(err, "-f", capture.toString()), equalTo(generated.expectedTsv()));
    String report = err.toString(StandardCharsets.UTF_8);
    assertThat(report, containsString("packets read: " + generated.packets() + "\n"));
    assertThat(
        report, containsString("frames skipped as not IP: " + generated.notIpFrames() + "\n"));
    assertThat(
        report,
        containsString(
            "frames skipped without a readable transport header (ESP, No Next Header): 0\n"));
    assertThat(
        report,
        containsString(
            "DNS responses without a matching query: " + generated.unmatchedResponses() + "\n"));
    assertThat(report, containsString("DNS messages malformed: 0\n"));
    assertThat(report, containsString("corrupt regions skipped: 0\n"));
  }

  @Test
  void sixtyFourKibSplitsPrintTheExpectedTsv() {
    assertThat(
        connbal(new ByteArrayOutputStream(), "-f", capture.toString(), "--split-size=65536"),
        equalTo(generated.expectedTsv()));
  }

  /**
   * Thousands of clients resolving before every connection, and SRV targets resolved by name before
   * and after another client's SRV answer named them.
   */
  @Test
  void dnsHeavyCapturePrintsTheExpectedTsvAndReport() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(connbal(err, "-f", dnsHeavyCapture.toString()), equalTo(dnsHeavy.expectedTsv()));
    String report = err.toString(StandardCharsets.UTF_8);
    assertThat(report, containsString("packets read: " + dnsHeavy.packets() + "\n"));
    assertThat(report, containsString("frames skipped as not IP: 0\n"));
    assertThat(
        report,
        containsString(
            "frames skipped without a readable transport header (ESP, No Next Header): 0\n"));
    assertThat(
        report,
        containsString(
            "DNS responses without a matching query: " + dnsHeavy.unmatchedResponses() + "\n"));
    assertThat(report, containsString("DNS messages malformed: 0\n"));
  }

  @Test
  void dnsHeavyCaptureInSixtyFourKibSplitsPrintsTheExpectedTsv() {
    assertThat(
        connbal(
            new ByteArrayOutputStream(), "-f", dnsHeavyCapture.toString(), "--split-size=65536"),
        equalTo(dnsHeavy.expectedTsv()));
  }

  /** The same capture as 40 files: one timeline, merged by timestamp. */
  @Test
  void dnsHeavyCaptureSplitIntoFortyFilesPrintsTheExpectedTsv() throws IOException {
    Path parts = dir.resolve("dns-heavy-parts");
    CaptureSplitter.split(dnsHeavyCapture, parts, 40);
    assertThat(
        connbal(new ByteArrayOutputStream(), "-f", parts.resolve("*.snoop").toString()),
        equalTo(dnsHeavy.expectedTsv()));
  }

  private static String connbal(ByteArrayOutputStream err, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        ConnBalCommand.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat("exit status; stderr:\n" + err.toString(StandardCharsets.UTF_8), exit, is(0));
    return out.toString(StandardCharsets.UTF_8);
  }
}
