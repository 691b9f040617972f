package dev.connbal.transforms;

import static dev.connbal.transforms.ConnBalSemanticsTest.line;
import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.SYN;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.a;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.snoop.WatchCaptures;
import dev.connbal.transforms.testing.Capture;
import dev.connbal.transforms.testing.Packets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.options.StreamingOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEMANTICS.md's DNS over TCP end to end: messages put back together per stream and direction
 * whichever ranges and files hold their segments, each taking the time of the segment that
 * completes it, and joining the UDP messages on the timeline. The capture is built by hand and the
 * rows derived by hand from it (see {@link #capture()}); every split of it, by byte range and into
 * two files, must give the same rows and report.
 */
class DnsOverTcpTest {
  private static final String C = "10.0.0.1";
  private static final String C2 = "10.0.0.2";
  private static final String NS = "10.0.0.53";
  private static final String B1 = "192.168.1.1";
  private static final String B2 = "192.168.1.2";
  private static final String B3 = "192.168.1.3";
  private static final int DNS = 53;
  private static final long T = 1_700_000_000L;

  /** The rows {@link #capture()} gives, derived by hand in its comments. */
  private static final String EXPECTED =
      line("010.000.000.001", "192.168.001.001:443", 1, 2, "www.example.com.")
          + line("010.000.000.001", "192.168.001.002:?", 0, 2, "www.example.com.")
          + line("010.000.000.001", "192.168.001.003:443", 1, 1, "big.example.com.")
          + line("010.000.000.002", "192.168.001.001:?", 0, 1, "api.example.com.")
          + line("010.000.000.002", "192.168.001.002:8443", 1, 1, "db.example.com.")
          + line("010.000.000.002", "192.168.001.003:443", 1, 2, "api.example.com.");

  @TempDir Path tmp;

  /** A packet of the capture: its time and frame. */
  private record Packet(long seconds, int micros, byte[] frame) {}

  private static Packet at(long seconds, int micros, byte[] frame) {
    return new Packet(seconds, micros, frame);
  }

  private static byte[] query(int id, String name) {
    return Packets.dnsQueryMessage(id, name, TYPE_A);
  }

  private static byte[] answer(int id, String name, String... backends) {
    return Packets.dnsResponseMessage(
        id, name, TYPE_A, Arrays.stream(backends).map(b -> a(name, b)).toArray(Packets.Rr[]::new));
  }

  private static byte[] data(String src, int srcPort, String dst, int dstPort, long seq, byte[] b) {
    return Packets.tcpData(src, srcPort, dst, dstPort, seq, b);
  }

  private static byte[] part(byte[] bytes, int from, int to) {
    return Arrays.copyOfRange(bytes, from, to);
  }

  /**
   * Four TCP streams to the name server NS and the SYNs that test each message's time:
   *
   * <ol>
   *   <li>C:40001 asks www.example.com; the answer (B1, B2) comes in three segments: its first byte
   *       (half the length), its end (out of order), the first byte again (a retransmission), then
   *       the middle, at T+0.000600, which completes it. C's SYN to B2:443 at T+0.000550 comes
   *       before that: not counted; its SYN to B1:443 at T+0.000650 is. So far: C B1:443 1 conn, C
   *       B2:? (no counted port).
   *   <li>C2:40002 asks api.example.com and db.example.com in one segment; the answers come as
   *       api's (B1, B3) and db's first byte, then db's rest (B2, B3) at T+1.000200. C2's SYN to
   *       B3:443 at T+1.000150 follows api's answer: counted; to B2:443 at T+1.000150 precedes db's
   *       answer: not counted; to B2:8443 at T+1.000300: counted. C2: B1:? dns 1 (api), B2:8443 1
   *       conn dns 1 (db), B3:443 1 conn dns 2 (named by api, listed by both).
   *   <li>C asks big.example.com over UDP, gets a truncated answer without records (no event), and
   *       asks again over TCP from 40003; the server's SYN+ACK was not captured, so that direction
   *       starts at its lowest sequence number. The answer (B1, B2, B3) comes in two segments; C's
   *       SYN to B3:443 after it counts. C: B1 and B2 dns 2 (www first names them), B3:443 1 conn
   *       dns 1 (big).
   *   <li>C2:40004 asks lost.example.com; its answer's middle segment was never captured: the
   *       answer is lost to the gap (counted), the query waits unanswered.
   * </ol>
   */
  private static List<Packet> capture() {
    List<Packet> p = new ArrayList<>();
    byte[] q1 = Packets.tcpDnsStream(query(1, "www.example.com"));
    byte[] r1 = Packets.tcpDnsStream(answer(1, "www.example.com", B1, B2));
    p.add(at(T, 0, Packets.tcp(C, 40001, NS, DNS, SYN, 1000)));
    p.add(at(T, 100, Packets.tcp(NS, DNS, C, 40001, SYN | ACK, 5000)));
    p.add(at(T, 200, data(C, 40001, NS, DNS, 1001, q1)));
    p.add(at(T, 300, data(NS, DNS, C, 40001, 5001, part(r1, 0, 1))));
    p.add(at(T, 400, data(NS, DNS, C, 40001, 5001 + 20, part(r1, 20, r1.length))));
    p.add(at(T, 500, data(NS, DNS, C, 40001, 5001, part(r1, 0, 1))));
    p.add(at(T, 550, Packets.syn(C, 50001, B2, 443, 1)));
    p.add(at(T, 600, data(NS, DNS, C, 40001, 5001 + 1, part(r1, 1, 20))));
    p.add(at(T, 650, Packets.syn(C, 50002, B1, 443, 2)));

    byte[] q23 = Packets.tcpDnsStream(query(2, "api.example.com"), query(3, "db.example.com"));
    byte[] r2 = Packets.tcpDnsStream(answer(2, "api.example.com", B1, B3));
    byte[] r3 = Packets.tcpDnsStream(answer(3, "db.example.com", B2, B3));
    p.add(at(T + 1, 0, Packets.tcp(C2, 40002, NS, DNS, SYN, 2000)));
    p.add(at(T + 1, 10, Packets.tcp(NS, DNS, C2, 40002, SYN | ACK, 6000)));
    p.add(at(T + 1, 20, data(C2, 40002, NS, DNS, 2001, q23)));
    byte[] r2AndHalfOfR3 = Arrays.copyOf(r2, r2.length + 1);
    r2AndHalfOfR3[r2.length] = r3[0];
    p.add(at(T + 1, 100, data(NS, DNS, C2, 40002, 6001, r2AndHalfOfR3)));
    p.add(at(T + 1, 150, Packets.syn(C2, 50003, B3, 443, 3)));
    p.add(at(T + 1, 150, Packets.syn(C2, 50004, B2, 443, 4)));
    p.add(at(T + 1, 200, data(NS, DNS, C2, 40002, 6001 + r2.length + 1, part(r3, 1, r3.length))));
    p.add(at(T + 1, 300, Packets.syn(C2, 50005, B2, 8443, 5)));

    byte[] truncated = answer(4, "big.example.com");
    truncated[2] |= 0x02; // TC
    byte[] q4 = Packets.tcpDnsStream(query(4, "big.example.com"));
    byte[] r4 = Packets.tcpDnsStream(answer(4, "big.example.com", B1, B2, B3));
    p.add(at(T + 2, 0, Packets.dnsQuery(C, 40000, NS, 4, "big.example.com", TYPE_A)));
    p.add(at(T + 2, 100, Packets.udpFrame(NS, DNS, C, 40000, truncated)));
    p.add(at(T + 2, 200, Packets.tcp(C, 40003, NS, DNS, SYN, 3000)));
    p.add(at(T + 2, 300, data(C, 40003, NS, DNS, 3001, q4)));
    p.add(at(T + 2, 400, data(NS, DNS, C, 40003, 7001, part(r4, 0, 30))));
    p.add(at(T + 2, 500, data(NS, DNS, C, 40003, 7001 + 30, part(r4, 30, r4.length))));
    p.add(at(T + 2, 600, Packets.syn(C, 50006, B3, 443, 6)));

    byte[] q5 = Packets.tcpDnsStream(query(5, "lost.example.com"));
    byte[] r5 = Packets.tcpDnsStream(answer(5, "lost.example.com", B1, B2));
    p.add(at(T + 3, 0, Packets.tcp(C2, 40004, NS, DNS, SYN, 4000)));
    p.add(at(T + 3, 10, Packets.tcp(NS, DNS, C2, 40004, SYN | ACK, 8000)));
    p.add(at(T + 3, 20, data(C2, 40004, NS, DNS, 4001, q5)));
    p.add(at(T + 3, 100, data(NS, DNS, C2, 40004, 8001, part(r5, 0, 10))));
    p.add(at(T + 3, 300, data(NS, DNS, C2, 40004, 8001 + 20, part(r5, 20, r5.length))));
    return p;
  }

  private static Capture of(List<Packet> packets) {
    Capture c = Capture.empty();
    for (Packet p : packets) {
      c = c.then(p.seconds(), p.micros(), p.frame());
    }
    return c;
  }

  private ConnBalRun.Output run(List<List<Packet>> files, ConnBal.Analyze analyze)
      throws IOException {
    Path in = Files.createTempDirectory(tmp, "in");
    for (int i = 0; i < files.size(); i++) {
      of(files.get(i)).writeTo(in.resolve("part-" + i + ".snoop"));
    }
    return ConnBalRun.direct(in.resolve("*").toString(), analyze, tmp);
  }

  @Test
  void messagesOverTcpAreReassembledAndTakeTheTimeOfTheSegmentThatCompletesThem()
      throws IOException {
    for (int timelineShards : new int[] {1, ConnBal.DEFAULT_TIMELINE_SHARD_COUNT}) {
      ConnBalRun.Output out =
          run(List.of(capture()), ConnBal.analyze().withTimelineShardCount(timelineShards));
      assertThat(out.tsv(), equalTo(EXPECTED));
      assertThat(out.report().tcpDnsMessagesLost(), equalTo(1L));
      assertThat(out.report().dnsMalformed(), equalTo(0L));
      assertThat(out.report().responsesWithoutQuery(), equalTo(0L));
      assertThat(out.report().format(), containsString("DNS-over-TCP messages lost to gaps: 1\n"));
      assertThat(out.connbalCounters().get("tcpDnsMessagesLost"), equalTo(1L));
      // Q1, R1, Q2, Q3, R2, R3, Q4, R4, Q5.
      assertThat(out.connbalCounters().get("tcpDnsMessages"), equalTo(9L));
    }
  }

  @Test
  void everySplitSizeGivesTheSameRowsAndReport() throws IOException {
    ConnBalRun.Output whole = run(List.of(capture()), ConnBal.analyze());
    for (long splitSize : new long[] {64, 100, 150, 256, 400, 1024}) {
      ConnBalRun.Output split =
          run(List.of(capture()), ConnBal.analyze().withDesiredSplitSize(splitSize));
      assertThat("split size " + splitSize, split.tsv(), equalTo(EXPECTED));
      assertThat("split size " + splitSize, split.report(), equalTo(whole.report()));
    }
  }

  @Test
  void streamsCutAcrossTwoFilesGiveTheSameRowsAndReport() throws IOException {
    List<Packet> packets = capture();
    ConnBalRun.Output whole = run(List.of(packets), ConnBal.analyze());
    // Cuts inside each stream: between R1's segments, between R2 and R3's rest, between the
    // two halves of R4, and between R5's segments around its gap.
    for (int cut : new int[] {4, 6, 13, 22, 28}) {
      ConnBalRun.Output split =
          run(
              List.of(packets.subList(0, cut), packets.subList(cut, packets.size())),
              ConnBal.analyze().withDesiredSplitSize(128));
      assertThat("cut before packet " + cut, split.tsv(), equalTo(EXPECTED));
      assertThat("cut before packet " + cut, split.report(), equalTo(whole.report()));
    }
  }

  /**
   * SEMANTICS.md "Windows": the rules run over the whole stream unchanged, so a windowed run's rows
   * summed over its windows are the hand-derived rows, and its report counts what the batch run's
   * does. Windows of 1 ms put the segments of a message, and a message and the SYN it names a
   * backend for, in windows of their own; the cuts put a stream's segments in two files.
   */
  @Test
  void aWindowedRunPutsTheStreamsBackTogetherAsTheBatchRunDoes() throws IOException {
    List<Packet> packets = capture();
    ConnBalRun.Output whole = run(List.of(packets), ConnBal.analyze());
    assertThat(whole.tsv(), equalTo(EXPECTED));
    for (Duration window : new Duration[] {Duration.millis(1), Duration.standardSeconds(5)}) {
      for (int cut : new int[] {packets.size(), 4, 13, 28}) {
        for (int timelineShards : new int[] {1, ConnBal.DEFAULT_TIMELINE_SHARD_COUNT}) {
          List<List<Packet>> files =
              cut == packets.size()
                  ? List.of(packets)
                  : List.of(packets.subList(0, cut), packets.subList(cut, packets.size()));
          ConnBalRun.Output windowed =
              run(
                  files,
                  ConnBal.analyze()
                      .withWindow(window)
                      .withTimelineShardCount(timelineShards)
                      .withDesiredSplitSize(128));
          String context = window + " windows, cut before " + cut + ", " + timelineShards;
          assertThat(
              context,
              WindowedRunTest.sums(windowed.rows()),
              equalTo(WindowedRunTest.sums(whole.rows())));
          assertThat(context, windowed.report().tcpDnsMessagesLost(), equalTo(1L));
          assertThat(context, windowed.report().dnsMalformed(), equalTo(0L));
          assertThat(context, windowed.report().responsesWithoutQuery(), equalTo(0L));
          assertThat(context, windowed.report().latePackets(), equalTo(0L));
          assertThat(context, windowed.report().packets(), equalTo(whole.report().packets()));
          // Q1, R1, Q2, Q3, R2, R3, Q4, R4, Q5, each once however often its stream was fed.
          assertThat(context, windowed.connbalCounters().get("tcpDnsMessages"), equalTo(9L));
        }
      }
    }
  }

  /**
   * The same over a watch, where time passes the captures one after another: each direction is fed
   * as the watermark passes its segments, in several firings (the cuts put a stream's segments in
   * two captures), and its messages must reach the timelines in time. The rows of each window's
   * last pane (panes accumulate) summed over the windows are the hand-derived rows.
   */
  @Test
  void aWatchPutsTheStreamsBackTogetherAsTheyArrive() throws IOException {
    List<Packet> packets = capture();
    Path in = Files.createTempDirectory(tmp, "watched");
    int[] cuts = {0, 4, 13, 22, 28, packets.size()};
    for (int i = 0; i + 1 < cuts.length; i++) {
      of(packets.subList(cuts[i], cuts[i + 1])).writeTo(in.resolve("part-" + i + ".snoop"));
    }
    ConnBalRun.Output whole = run(List.of(packets), ConnBal.analyze());
    assertThat(whole.tsv(), equalTo(EXPECTED));

    DirectOptions options = ConnBalRun.fastDirectOptions().as(DirectOptions.class);
    options.as(StreamingOptions.class).setStreaming(true);
    Pipeline p = Pipeline.create(options);
    String run = "watch-" + System.nanoTime();
    p.apply(
            WatchCaptures.of(List.of(in.resolve("*.snoop").toString()))
                .withPollInterval(Duration.millis(200))
                .withStopAfterIdle(Duration.standardSeconds(2)))
        .apply(FileIO.readMatches())
        .apply(ConnBal.analyze().withWindow(Duration.standardSeconds(1)))
        .rows()
        .apply(ParDo.of(new KeepPanes(run)));
    PipelineResult result = p.run();
    assertThat(result.waitUntilFinish(), equalTo(PipelineResult.State.DONE));

    List<ConnBalRow> lastPanes = new ArrayList<>();
    for (Map<Long, List<ConnBalRow>> panes : KeepPanes.PANES.remove(run).values()) {
      lastPanes.addAll(panes.get(Collections.max(panes.keySet())));
    }
    assertThat(WindowedRunTest.sums(lastPanes), equalTo(WindowedRunTest.sums(whole.rows())));
  }

  /** Keeps each pane's rows, by run, window start and pane index, for the test to read. */
  private static final class KeepPanes extends DoFn<ConnBalRow, Void> {
    static final Map<String, Map<Instant, Map<Long, List<ConnBalRow>>>> PANES =
        new ConcurrentHashMap<>();

    private final String run;

    KeepPanes(String run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element ConnBalRow row, BoundedWindow window, PaneInfo pane) {
      PANES
          .computeIfAbsent(run, k -> new ConcurrentHashMap<>())
          .computeIfAbsent(window.maxTimestamp(), k -> new ConcurrentHashMap<>())
          .computeIfAbsent(pane.getIndex(), k -> Collections.synchronizedList(new ArrayList<>()))
          .add(row);
    }
  }

  /** The recorded capture of DNS over TCP and its rows, derived in its DERIVATION.md. */
  private static final Path RECORDED = Path.of("../examples/tcp-dns-capture");

  @Test
  void theRecordedCaptureGivesItsHandDerivedRowsHoweverItIsSplitAndSharded() throws IOException {
    String expected = Files.readString(RECORDED.resolve("expected.tsv"));
    String capture = RECORDED.resolve("capture.snoop").toString();
    for (int timelineShards : new int[] {1, ConnBal.DEFAULT_TIMELINE_SHARD_COUNT}) {
      for (long splitSize : new long[] {64, 1 << 20}) {
        ConnBalRun.Output out =
            ConnBalRun.direct(
                capture,
                ConnBal.analyze()
                    .withTimelineShardCount(timelineShards)
                    .withDesiredSplitSize(splitSize),
                tmp);
        String context = timelineShards + " timeline shards, split size " + splitSize;
        assertThat(context, out.tsv(), equalTo(expected));
        assertThat(context, out.report().tcpDnsMessagesLost(), equalTo(0L));
        assertThat(context, out.report().responsesWithoutQuery(), equalTo(0L));
      }
    }
  }

  @Test
  void theRecordedCaptureSummedOverWindowsGivesItsHandDerivedRows() throws IOException {
    String expected = Files.readString(RECORDED.resolve("expected.tsv"));
    String capture = RECORDED.resolve("capture.snoop").toString();
    ConnBalRun.Output whole = ConnBalRun.direct(capture, ConnBal.analyze(), tmp);
    assertThat(whole.tsv(), equalTo(expected));
    for (Duration window : new Duration[] {Duration.millis(1), Duration.standardSeconds(1)}) {
      ConnBalRun.Output windowed =
          ConnBalRun.direct(
              capture, ConnBal.analyze().withWindow(window).withDesiredSplitSize(64), tmp);
      assertThat(
          window.toString(),
          WindowedRunTest.sums(windowed.rows()),
          equalTo(WindowedRunTest.sums(whole.rows())));
      assertThat(window.toString(), windowed.report().tcpDnsMessagesLost(), equalTo(0L));
      assertThat(window.toString(), windowed.report().responsesWithoutQuery(), equalTo(0L));
      assertThat(window.toString(), windowed.report().latePackets(), equalTo(0L));
    }
  }
}
