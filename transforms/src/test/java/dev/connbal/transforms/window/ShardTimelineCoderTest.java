package dev.connbal.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.connbal.transforms.ConnBalRow;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.IpAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

/**
 * {@link ShardTimelineCoder}: a timeline that goes through its coder after every event goes on as
 * one that never did, its written form is the same bytes, and what has expired (queries after 10 s,
 * attempts after 120 s, listings after the horizon) is no longer written.
 */
class ShardTimelineCoderTest {
  private static final long S = 1_000_000L;
  private static final IpAddress CLIENT = TimelineEvents.ip(10, 0, 0, 1);
  private static final IpAddress OTHER_CLIENT = TimelineEvents.ip(10, 0, 0, 2);
  private static final IpAddress B1 = TimelineEvents.ip(192, 168, 1, 1);
  private static final IpAddress B2 = TimelineEvents.ip(192, 168, 1, 2);
  private static final IpAddress B3 = TimelineEvents.ip(192, 168, 1, 3);

  private final ShardTimelineCoder coder = ShardTimelineCoder.of();
  private final ShardTimeline plain = new ShardTimeline(S, 60 * S);
  private ShardTimeline copied = new ShardTimeline(S, 60 * S);
  private final List<String> plainRows = new ArrayList<>();
  private final List<String> copiedRows = new ArrayList<>();
  private final TimelineEvents events = new TimelineEvents();

  @Test
  void aTimelineCopiedThroughItsCoderAfterEveryEventGoesOnAsTheOriginal() throws IOException {
    // Another shard's SRV lookup teaches t1.test. on 8080; this client's lookups, attempts on
    // ports that come later, a retransmission, two events of one millisecond, late ones.
    both(TimedEvent.dns(events.query(0, OTHER_CLIENT, 5, "_web._tcp.test."), true));
    both(
        TimedEvent.dns(
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
                        10))),
            true));
    lookup(500_000, 6, "t1.test.", B3);
    lookup(1_000_000, 1, "web.test.", B1, B2);
    syn(1_200_000, B1, 80, 1);
    syn(1_200_400, B3, 8080, 2); // the same millisecond: waits in the timeline
    syn(1_500_000, B1, 80, 1); // a retransmission
    syn(2_500_000, B2, 443, 3); // B2's port comes a window after its listing
    both(TimedEvent.syn(1_100_000, CLIENT, B1, 80, SynBatch.attempt(40009, 9))); // late
    both(TimedEvent.dns(events.query(1_000_000, CLIENT, 77, "late.test."), false)); // late DNS
    lookup(3 * S, 2, "web.test.", B1, B2);
    // An unanswered query, outstanding for 10 s.
    both(TimedEvent.dns(events.query(3 * S + 5000, CLIENT, 99, "lost.test."), false));
    advance(4 * S);
    int busy = bytes(copied).length;

    // Three minutes later queries, attempts and listings have expired; only backends remain.
    lookup(200 * S, 3, "web.test.", B1, B2);
    syn(200 * S + 5000, B1, 80, 50);
    advance(201 * S);
    assertThat("the attempts of the last 120 s", copied.openAttempts(), is(1));
    assertThat(bytes(copied).length, lessThan(busy));

    assertThat(copiedRows, equalTo(plainRows));
    assertThat(plainRows.size(), greaterThan(8));
    assertThat(copied.lateSyns(), is(1L));
    assertThat(copied.lateDnsEvents(), is(1L));
    assertThat(copied.matchedResponses(), is(plain.matchedResponses()));
  }

  @Test
  void aDecodedTimelineWritesTheSameBytes() throws Exception {
    lookup(100_000, 1, "web.test.", B1, B2);
    syn(200_000, B1, 80, 1);
    syn(200_300, B2, 80, 2);
    ShardTimeline again = CoderUtils.clone(coder, plain);
    assertThat(bytes(again), equalTo(bytes(plain)));
  }

  private void lookup(long t, int id, String name, IpAddress... addresses) throws IOException {
    for (TimedEvent e : events.lookup(t, CLIENT, id, name, addresses)) {
      both(e);
    }
  }

  private void syn(long t, IpAddress server, int port, long isn) throws IOException {
    both(TimelineEvents.syn(t, CLIENT, server, port, isn));
  }

  private void both(TimedEvent e) throws IOException {
    step(timeline -> timeline.accept(e));
  }

  private void advance(long t) throws IOException {
    step(timeline -> timeline.advanceTo(t));
  }

  /** Takes a step on both timelines; the copy then goes through the coder. */
  private void step(Function<ShardTimeline, List<ShardTimeline.WindowRows>> action)
      throws IOException {
    collect(action.apply(plain), plainRows);
    collect(action.apply(copied), copiedRows);
    assertThat(bytes(copied), equalTo(bytes(plain)));
    copied = CoderUtils.decodeFromByteArray(coder, bytes(copied));
  }

  private byte[] bytes(ShardTimeline timeline) throws IOException {
    return CoderUtils.encodeToByteArray(coder, timeline);
  }

  private static void collect(List<ShardTimeline.WindowRows> windows, List<String> into) {
    for (ShardTimeline.WindowRows w : windows) {
      for (ConnBalRow r : w.rows()) {
        into.add(w.startMicros() + " " + r);
      }
    }
  }
}
