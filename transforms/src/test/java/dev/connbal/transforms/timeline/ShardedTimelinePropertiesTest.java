package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * The DNS timeline split by client gives what the one timeline gives ({@link TimelineEquivalence}),
 * on random DNS traffic made to mix clients' SRV lookups with other clients' address lookups of the
 * same targets (before and after any SRV answer named them), CNAMEs to targets, colliding query
 * identities, lost and late answers, and ties in time across files; SRV records draw their
 * priorities and weights from a few values, so that targets are re-announced with new weights,
 * lower and higher priorities, between one client's listings of a backend.
 */
class ShardedTimelinePropertiesTest {
  private static final IpAddress SERVER = DnsTimelineTest.ip(10, 0, 0, 53);
  private static final long S = 1_000_000L;
  private static final String[] SERVICES = {"_a._tcp.lb.test.", "_b._tcp.lb.test."};
  private static final String[] TARGETS = {"t1.lb.test.", "t2.lb.test.", "T1.LB.test."};
  private static final String[] A_NAMES = {"web.lb.test.", "t1.lb.test.", "t2.lb.test."};

  @Property(tries = 300)
  void splitByClientIsTheOneTimeline(@ForAll long seed) {
    List<DnsEvent> events = randomTraffic(new Random(seed));
    TimelineEquivalence timeline = new TimelineEquivalence();
    events.forEach(timeline::accept);
    List<BackendFacts> backends = timeline.backends();
    timeline.matchedResponses();
    timeline.unmatchedResponses();
    Statistics.label("has SRV backends")
        .collect(backends.stream().anyMatch(f -> !f.srvPortDns().isEmpty()));
    Statistics.label("SRV backends of clients that made no SRV lookup")
        .collect(srvBackendsWithoutOwnLookup(events, backends) > 0);
    Statistics.label("SRV ports decided by a priority above 0")
        .collect(
            backends.stream()
                .flatMap(f -> f.srvPortPriorityWeight().values().stream())
                .anyMatch(pw -> pw.priority() > 0));
  }

  /**
   * One client's SRV lookup teaches a target that a client of another shard then resolves by
   * address: before the lookup the target's single A record is no backend, after it the address is
   * a backend of the service on the SRV port, with the priority and weight of the SRV record.
   */
  @Example
  void anotherShardsSrvLookupTeachesTheTarget() {
    IpAddress teacher = DnsTimelineTest.ip(10, 0, 1, 1);
    IpAddress learner = clientInAnotherShard(teacher, new Shards(2));
    IpAddress backend = DnsTimelineTest.ip(192, 168, 7, 1);
    TimelineEquivalence timeline = new TimelineEquivalence();
    // The learner resolves the target before anyone's SRV answer named it: one A record.
    timeline.accept(query(0, learner, 1, "t1.lb.test."));
    timeline.accept(response(S, learner, 1, "t1.lb.test.", 1, a("t1.lb.test.", backend)));
    // The teacher's SRV lookup names it, on port 8443.
    timeline.accept(query(2 * S, teacher, 2, "_a._tcp.lb.test."));
    timeline.accept(
        response(
            3 * S,
            teacher,
            2,
            "_a._tcp.lb.test.",
            1,
            DnsEventRecord.srv(name("_a._tcp.lb.test."), name("t1.lb.test."), 8443, 3, 70)));
    // Now the learner's single A record makes a backend of the service.
    timeline.accept(query(4 * S, learner, 3, "t1.lb.test."));
    timeline.accept(response(5 * S, learner, 3, "t1.lb.test.", 1, a("t1.lb.test.", backend)));
    assertThat(
        timeline.backends(),
        contains(
            new BackendFacts(
                learner,
                backend,
                5 * S,
                name("_a._tcp.lb.test."),
                1,
                new TreeMap<>(Map.of(8443, 1L)),
                new TreeMap<>(Map.of(8443, new SrvPriorityWeight(3, 70))))));
  }

  private static IpAddress clientInAnotherShard(IpAddress client, Shards shards) {
    for (int i = 2; ; i++) {
      IpAddress other = IpAddress.parse("2001:db8::" + Integer.toHexString(i));
      if (shards.ofClient(other) != shards.ofClient(client)) {
        assertThat(shards.ofClient(other), not(is(shards.ofClient(client))));
        return other;
      }
    }
  }

  /** Random traffic of a few clients, in timeline order. */
  private static List<DnsEvent> randomTraffic(Random rnd) {
    List<DnsEvent> events = new ArrayList<>();
    int clients = 2 + rnd.nextInt(7);
    long t = 0;
    int lookups = 5 + rnd.nextInt(40);
    for (int i = 0; i < lookups; i++) {
      t += rnd.nextInt(4) == 0 ? 11 * S : rnd.nextInt(3 * (int) S);
      // A client of either family: the rules do not look at the family.
      int host = 1 + rnd.nextInt(clients);
      IpAddress client =
          host % 3 == 0
              ? IpAddress.parse("2001:db8::" + host)
              : DnsTimelineTest.ip(10, 0, rnd.nextInt(3), host);
      int port = 1000 + rnd.nextInt(2);
      int id = rnd.nextInt(3);
      boolean srv = rnd.nextInt(3) == 0;
      String name =
          srv ? pick(rnd, SERVICES) : rnd.nextInt(5) == 0 ? "alias.lb.test." : pick(rnd, A_NAMES);
      if (rnd.nextInt(8) != 0) {
        events.add(new DnsEvent(at(rnd, t), false, key(client, port, id, name), 0, List.of()));
      }
      if (rnd.nextInt(8) != 0) {
        long answerAt = t + (rnd.nextInt(10) == 0 ? 10 * S : rnd.nextInt((int) S));
        List<DnsEventRecord> records = answer(rnd, srv, name);
        long answers =
            records.stream().filter(r -> r.section() == DnsEventRecord.Section.ANSWER).count();
        QueryKey key = key(client, port, id, name);
        events.add(new DnsEvent(at(rnd, answerAt), true, key, (int) Math.max(1, answers), records));
      }
    }
    events.sort(Comparator.comparing(DnsEvent::order));
    return events;
  }

  private static List<DnsEventRecord> answer(Random rnd, boolean srv, String name) {
    List<DnsEventRecord> records = new ArrayList<>();
    if (srv) {
      int n = 1 + rnd.nextInt(2);
      for (int i = 0; i < n; i++) {
        String target = rnd.nextInt(10) == 0 ? "." : pick(rnd, TARGETS);
        records.add(
            DnsEventRecord.srv(
                name(name),
                name(target),
                rnd.nextBoolean() ? 80 : 8443,
                10 * rnd.nextInt(3),
                25 * rnd.nextInt(4)));
      }
      for (int i = 0; i < rnd.nextInt(3); i++) {
        records.add(
            DnsEventRecord.address(
                DnsEventRecord.Section.ADDITIONAL, name(pick(rnd, TARGETS)), backend(rnd)));
      }
    } else if (name.equals("alias.lb.test.")) {
      String target = pick(rnd, TARGETS);
      records.add(DnsEventRecord.cname(name(name), name(target)));
      records.add(a(target, backend(rnd)));
    } else {
      int n = 1 + rnd.nextInt(3);
      for (int i = 0; i < n; i++) {
        records.add(a(name, backend(rnd)));
      }
    }
    return records;
  }

  private static long srvBackendsWithoutOwnLookup(
      List<DnsEvent> events, List<BackendFacts> backends) {
    return backends.stream()
        .filter(f -> !f.srvPortDns().isEmpty())
        .filter(
            f ->
                events.stream()
                    .noneMatch(
                        e ->
                            e.query().clientIp().equals(f.client())
                                && e.records().stream().anyMatch(DnsEventRecord::isSrv)))
        .count();
  }

  /** An A or an AAAA record's address: SEMANTICS.md treats both as address records. */
  private static IpAddress backend(Random rnd) {
    int host = 1 + rnd.nextInt(6);
    return host > 4
        ? IpAddress.parse("2001:db8:1::" + host)
        : DnsTimelineTest.ip(192, 168, 1, host);
  }

  private static String pick(Random rnd, String[] names) {
    return names[rnd.nextInt(names.length)];
  }

  private static long offset;

  /** A place on the timeline; two files, so that equal times order by file. */
  private static OrderKey at(Random rnd, long micros) {
    return new OrderKey(micros, rnd.nextBoolean() ? "a.snoop" : "b.snoop", offset += 100);
  }

  private static QueryKey key(IpAddress client, int port, int id, String name) {
    return new QueryKey(client, port, SERVER, id, name(name));
  }

  private static DnsEvent query(long t, IpAddress client, int id, String name) {
    return DnsEvent.query(new OrderKey(t, "a.snoop", t), key(client, 1000, id, name));
  }

  private static DnsEvent response(
      long t, IpAddress client, int id, String name, int answers, DnsEventRecord... records) {
    return DnsEvent.response(
        new OrderKey(t, "a.snoop", t), key(client, 1000, id, name), answers, List.of(records));
  }

  private static DnsEventRecord a(String owner, IpAddress address) {
    return DnsEventRecord.address(DnsEventRecord.Section.ANSWER, name(owner), address);
  }

  private static DnsName name(String s) {
    return DnsName.fromPresentation(s);
  }
}
