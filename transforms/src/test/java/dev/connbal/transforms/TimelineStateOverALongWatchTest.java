package dev.connbal.transforms;

import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.dnsQuery;
import static dev.connbal.transforms.testing.Packets.dnsResponse;
import static dev.connbal.transforms.testing.Packets.syn;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.window.RunShardTimelines;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch over a few hundred captures of steady traffic keeps the shard timeline's state flat
 * (docs/ARCHITECTURE.md, what a long watch holds): the largest state after any window of the whole
 * watch is no larger than the largest after the windows of its first half.
 *
 * <p>The traffic is the same every {@value #ROUND_SECONDS} seconds: each of {@value #CLIENTS}
 * clients looks the same name up (three backends), connects once (a new attempt id) and sends a
 * query that is never answered. So what the timeline must keep is constant once the horizons have
 * passed: the queries of the last 10 s, the attempts of the last 120 s, and per (client, backend)
 * the listings of the last hour (the allowed lateness of a watch), after which the first half,
 * {@value #FIRST_HALF_MINUTES} minutes of capture time, ends. Were unanswered queries or attempt
 * ids kept beyond their 10 s and 120 s, the second half would add one of each per client and round,
 * about a thousand, tens of bytes apiece: far more than the margin.
 *
 * <p>One pipeline runs both watches at once, each in steps of its own, so that the metric ({@link
 * RunShardTimelines#STATE_BYTES_METRIC}, after each window) tells them apart by step.
 */
class TimelineStateOverALongWatchTest {
  private static final int CLIENTS = 2;
  private static final int ROUND_SECONDS = 10;
  private static final int CAPTURE_SECONDS = 50;
  private static final int CAPTURES = 200;
  private static final int FIRST_HALF_MINUTES = CAPTURES / 2 * CAPTURE_SECONDS / 60;
  private static final Duration WINDOW = Duration.standardMinutes(1);

  /** A minute boundary: the windows start with the captures. */
  private static final long T0 = 1_800_000_000L - 1_800_000_000L % 60;

  private static final String NAME = "svc.example";
  private static final String DNS_SERVER = "10.0.0.53";

  @TempDir Path dir;

  @Test
  void stateOverTheWholeWatchIsNoLargerThanOverItsFirstHalf() throws Exception {
    for (int i = 0; i < CAPTURES; i++) {
      // The first half is named apart, so that a pattern watches only it.
      String name = String.format("%s-%03d.snoop", i < CAPTURES / 2 ? "first" : "second", i);
      writeCapture(dir.resolve(name), T0 + (long) i * CAPTURE_SECONDS);
    }

    Map<String, DistributionResult> sizes =
        LongWatches.run(
            dir,
            ConnBal.analyze().withWindow(WINDOW).withTimelineShardCount(1),
            RunShardTimelines.STATE_BYTES_METRIC);
    DistributionResult firstHalf = sizes.get("FirstHalf");
    DistributionResult whole = sizes.get("Whole");
    assertThat(
        "a firing per window at least",
        whole.getCount(),
        greaterThanOrEqualTo((long) CAPTURES * CAPTURE_SECONDS / 60));
    assertThat(firstHalf.getMax(), greaterThan(0L));
    // Within 5%: the timeline's content is the same from one window to the next, but the attempts
    // of the last 120 s at the moment of a firing may differ by one per client.
    assertThat(
        "largest state over the whole watch " + whole + " against its first half " + firstHalf,
        (double) whole.getMax(),
        lessThanOrEqualTo(firstHalf.getMax() * 1.05));
  }

  /** {@value #CAPTURE_SECONDS} seconds of the steady traffic from {@code start}. */
  private static void writeCapture(Path file, long start) throws IOException {
    try (OutputStream out = Files.newOutputStream(file);
        SnoopWriter w = SnoopWriter.ethernet(out)) {
      for (long t = start; t < start + CAPTURE_SECONDS; t += ROUND_SECONDS) {
        int round = (int) (t - T0) / ROUND_SECONDS;
        for (int c = 0; c < CLIENTS; c++) {
          String client = "10.1.0." + (c + 1);
          int id = (round * CLIENTS + c) % 65_536;
          int port = 20_000 + id % 40_000;
          w.write(t, c * 1000, dnsQuery(client, port, DNS_SERVER, id, NAME, TYPE_A));
          w.write(
              t,
              c * 1000 + 100,
              dnsResponse(
                  client,
                  port,
                  DNS_SERVER,
                  id,
                  NAME,
                  TYPE_A,
                  a(NAME, "10.2.0.1"),
                  a(NAME, "10.2.0.2"),
                  a(NAME, "10.2.0.3")));
          w.write(
              t,
              c * 1000 + 200,
              syn(client, 40_000 + id % 20_000, "10.2.0." + (round % 3 + 1), 443, id));
          w.write(
              t,
              c * 1000 + 300,
              dnsQuery(client, port + 1, DNS_SERVER, id, "unanswered.example", TYPE_A));
        }
      }
    }
  }
}
