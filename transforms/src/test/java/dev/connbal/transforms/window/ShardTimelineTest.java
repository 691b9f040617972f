package dev.connbal.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.keys.IpAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardTimeline} on hand-made events, windows of 1 s: each expected row derived by hand from
 * SEMANTICS.md "Windows" in the comment beside it.
 */
class ShardTimelineTest {
  private static final long S = 1_000_000L;
  private static final long WINDOW = S;
  private static final long HOUR = 3600 * S;
  private static final IpAddress CLIENT = TimelineEvents.ip(10, 0, 0, 1);
  private static final IpAddress OTHER_CLIENT = TimelineEvents.ip(10, 0, 0, 2);
  private static final IpAddress B1 = TimelineEvents.ip(192, 168, 1, 1);
  private static final IpAddress B2 = TimelineEvents.ip(192, 168, 1, 2);

  private final ShardTimeline timeline = new ShardTimeline(WINDOW, HOUR);
  private final List<String> out = new ArrayList<>();
  private final TimelineEvents events = new TimelineEvents();

  @Test
  void rowsPerWindowAndThePortThatCameLater() {
    // t=0.1 s: web.test. lists B1 and B2 (a multi-address answer): both backends, #dns 1 each.
    lookup(100_000, 1, "web.test.", B1, B2);
    syn(200_000, CLIENT, B1, 80, 1); // t=0.2: an attempt to B1:80 after its lookup: counted.
    syn(1_500_000, CLIENT, B2, 443, 2); // t=1.5: B2's first attempt, port 443, in window 1.
    advance(2 * S);
    assertThat(
        out,
        contains(
            // Window 0 as it closes at the first event of window 1: B1 has port 80; B2 none yet.
            "0 10.0.0.1 192.168.1.1:80 1 1 web.test.",
            "0 10.0.0.1 192.168.1.2:? 0 1 web.test.",
            // B2:443 is known at t=1.5: window 0's listing moves from B2's ? row to B2:443.
            "0 10.0.0.1 192.168.1.2:443 0 1 web.test.",
            "0 10.0.0.1 192.168.1.2:? 0 -1 web.test.",
            // Window 1: the attempt; no listing in it.
            "1 10.0.0.1 192.168.1.2:443 1 0 web.test."));
  }

  @Test
  void aRetransmittedSynIsOneAttemptForTwoMinutes() {
    lookup(0, 1, "web.test.", B1, B2);
    syn(10 * S, CLIENT, B1, 80, 7); // an attempt
    syn(13 * S, CLIENT, B1, 80, 7); // the same id 3 s later: a retransmission, not counted
    syn(130 * S, CLIENT, B1, 80, 7); // 120 s after the first SYN: TCP gave up, a new attempt
    advance(200 * S);
    assertThat(conns(out, "192.168.1.1:80"), equalTo(List.of("10 1", "130 1")));
    // At 200 s only the attempt begun at 130 s is within its 120 s: the others are forgotten.
    assertThat(timeline.openAttempts(), is(1));
  }

  @Test
  void anotherShardsSrvAnswerTeachesTheTargetsPort() {
    // t=0: another client's SRV lookup names t1.test. on port 8080; this shard learns only.
    DnsEvent query = events.query(0, OTHER_CLIENT, 5, "_web._tcp.test.");
    DnsEvent answer =
        events.response(
            1000,
            OTHER_CLIENT,
            5,
            "_web._tcp.test.",
            1,
            List.of(
                DnsEventRecord.srv(
                    TimelineEvents.name("_web._tcp.test."),
                    TimelineEvents.name("t1.test."),
                    8080,
                    1,
                    10)));
    timeline.accept(TimedEvent.dns(query, true));
    timeline.accept(TimedEvent.dns(answer, true));
    // t=0.5: this shard's client resolves t1.test. (one A record): a backend of the SRV service.
    lookup(500_000, 6, "t1.test.", B1);
    syn(600_000, CLIENT, B1, 8080, 3);
    advance(S);
    // The learning-only events count nowhere: the only responses are this client's.
    assertThat(out, contains("0 10.0.0.1 192.168.1.1:8080 1 1 _web._tcp.test."));
    assertThat(timeline.matchedResponses(), is(1L));
  }

  @Test
  void lateSynsCountInTheirWindowLateDnsOnlyInTheReport() {
    lookup(100_000, 1, "web.test.", B1, B2);
    syn(200_000, CLIENT, B1, 80, 1);
    advance(3 * S);
    out.clear();
    // t=0.15, after the attempt at t=0.2 ran: late. Counted in window 0, which comes again.
    syn(150_000, CLIENT, B1, 80, 2);
    assertThat(out, contains("0 10.0.0.1 192.168.1.1:80 1 0 web.test."));
    out.clear();
    lookup(120_000, 9, "web.test.", B1, B2); // late DNS: the rules need time order
    assertThat(out, empty());
    assertThat(timeline.lateSyns(), is(1L));
    assertThat(timeline.lateDnsEvents(), is(2L));
  }

  @Test
  void eventsOfOneMillisecondRunInTimeOrderDnsFirst() {
    // The response and an attempt in the same microsecond: the attempt counts (>= first seen);
    // the runner hands them over in any order within their millisecond.
    syn(100_500, CLIENT, B1, 80, 1);
    timeline.accept(TimedEvent.dns(events.query(100_000, CLIENT, 1, "web.test."), false));
    timeline.accept(
        TimedEvent.dns(
            events.response(
                100_500,
                CLIENT,
                1,
                "web.test.",
                2,
                List.of(TimelineEvents.a("web.test.", B1), TimelineEvents.a("web.test.", B2))),
            false));
    advance(S);
    assertThat(conns(out, "192.168.1.1:80"), equalTo(List.of("0 1")));
  }

  @Test
  void whatItHoldsDoesNotGrowWithTime() {
    // A lookup and an attempt every second for ten minutes: the attempts held are those of the
    // last 120 s (one a second), whatever the length of the stream.
    for (int t = 0; t < 600; t++) {
      lookup(t * S, t + 1, "web.test.", B1, B2);
      syn(t * S + 1000, CLIENT, B1, 80, t);
      assertThat(timeline.openAttempts(), lessThanOrEqualTo(121));
    }
  }

  private void lookup(long t, int id, String name, IpAddress... addresses) {
    for (TimedEvent e : events.lookup(t, CLIENT, id, name, addresses)) {
      collect(timeline.accept(e));
    }
  }

  private void syn(long t, IpAddress client, IpAddress server, int port, long isn) {
    collect(timeline.accept(TimelineEvents.syn(t, client, server, port, isn)));
  }

  private void advance(long t) {
    collect(timeline.advanceTo(t));
  }

  private void collect(List<ShardTimeline.WindowRows> windows) {
    for (ShardTimeline.WindowRows w : windows) {
      for (ConnBalRow r : w.rows()) {
        out.add(
            w.startMicros() / S
                + " "
                + r.getClient()
                + " "
                + r.getBackend()
                + ":"
                + (r.getPort() == null ? "?" : r.getPort())
                + " "
                + r.getConns()
                + " "
                + r.getDns()
                + " "
                + r.getName());
      }
    }
  }

  /** The windows (in s) and #conns of the rows of {@code backend} with attempts. */
  private static List<String> conns(List<String> rows, String backend) {
    List<String> found = new ArrayList<>();
    for (String row : rows) {
      String[] f = row.split(" ", -1);
      if (f[2].equals(backend) && !f[3].equals("0")) {
        found.add(f[0] + " " + f[3]);
      }
    }
    return found;
  }
}
