package dev.connbal.transforms;

import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.FIN;
import static dev.connbal.transforms.testing.Packets.SYN;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.dnsQuery;
import static dev.connbal.transforms.testing.Packets.dnsResponse;
import static dev.connbal.transforms.testing.Packets.tcp;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.connbal.snoop.SnoopWriter;
import dev.connbal.transforms.window.RunAllStreamsInTime;
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
 * A watch with -a over captures of steady traffic keeps the stream trackers' state flat
 * (docs/ARCHITECTURE.md, what a long watch holds): the largest state after any firing of the whole
 * watch is no larger than the largest after the firings of its first half.
 *
 * <p>Every {@value #ROUND_SECONDS} seconds each of {@value #CLIENTS} clients looks a name up (three
 * backends), opens a connection from a new port and closes it, and sends a packet on a connection
 * that lives through the whole watch. The closed 4-tuples are forgotten two minutes after their
 * close, so what a tracker holds is constant once the first two minutes have passed: the pairs, the
 * long-lived connections and the connections closed in the last two minutes. Were closed 4-tuples
 * kept, the second half would add one per client and round, about two hundred, tens of bytes
 * apiece: far more than the margin.
 */
class StreamStateOverALongWatchTest {
  private static final int CLIENTS = 2;
  private static final int ROUND_SECONDS = 10;
  private static final int CAPTURE_SECONDS = 50;
  private static final int CAPTURES = 40;
  private static final Duration WINDOW = Duration.standardMinutes(1);

  /** A minute boundary: the windows start with the captures. */
  private static final long T0 = 1_800_000_000L - 1_800_000_000L % 60;

  private static final String NAME = "svc.example";
  private static final String DNS_SERVER = "10.0.0.53";

  @TempDir Path dir;

  @Test
  void stateOverTheWholeWatchIsNoLargerThanOverItsFirstHalf() throws Exception {
    for (int i = 0; i < CAPTURES; i++) {
      String name = String.format("%s-%03d.snoop", i < CAPTURES / 2 ? "first" : "second", i);
      writeCapture(dir.resolve(name), T0 + (long) i * CAPTURE_SECONDS);
    }

    Map<String, DistributionResult> sizes =
        LongWatches.run(
            dir,
            ConnBal.analyze().withAllStreams(true).withWindow(WINDOW).withTimelineShardCount(1),
            RunAllStreamsInTime.STATE_BYTES_METRIC);
    DistributionResult firstHalf = sizes.get("FirstHalf");
    DistributionResult whole = sizes.get("Whole");
    assertThat(
        "a firing per window at least",
        whole.getCount(),
        greaterThanOrEqualTo((long) CAPTURES * CAPTURE_SECONDS / 60));
    assertThat(firstHalf.getMax(), greaterThan(0L));
    // Within 5%: the connections closed in the last two minutes at a firing may differ by a round.
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
          String backend = "10.2.0." + (round % 3 + 1);
          int id = (round * CLIENTS + c) % 65_536;
          int port = 20_000 + id % 40_000;
          int micros = c * 1000;
          w.write(t, micros, dnsQuery(client, port, DNS_SERVER, id, NAME, TYPE_A));
          w.write(
              t,
              micros + 100,
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
          int streamPort = 40_000 + id % 20_000;
          w.write(t, micros + 200, tcp(client, streamPort, backend, 443, SYN, id));
          w.write(t, micros + 300, tcp(backend, 443, client, streamPort, SYN | ACK, 7));
          w.write(t, micros + 400, tcp(client, streamPort, backend, 443, ACK, id + 1));
          w.write(t, micros + 500, tcp(client, streamPort, backend, 443, FIN | ACK, id + 1));
          w.write(t, micros + 600, tcp(backend, 443, client, streamPort, FIN | ACK, 8));
          w.write(t, micros + 700, tcp(client, streamPort, backend, 443, ACK, id + 2));
          // The connection that lives through the watch.
          w.write(t, micros + 800, tcp(client, 39_999, "10.2.0.1", 443, ACK, round));
        }
      }
    }
  }
}
