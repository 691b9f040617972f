package dev.connbal.transforms.timeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.keys.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The DNS rules of SEMANTICS.md on the pure-Java {@link DnsTimeline}, fed events directly, each
 * result also checked against the timeline split by client ({@link TimelineEquivalence}). The same
 * rules run end to end (packets, snoop files, Beam) in {@link ConnBalSemanticsTest}.
 */
class DnsTimelineTest {
  private static final IpAddress CLIENT = ip(10, 0, 0, 1);
  private static final IpAddress OTHER_CLIENT = ip(10, 0, 0, 2);
  private static final IpAddress SERVER = ip(10, 0, 0, 53);
  private static final IpAddress B1 = ip(192, 168, 1, 1);
  private static final IpAddress B2 = ip(192, 168, 1, 2);
  private static final IpAddress B3 = ip(192, 168, 1, 3);

  /** Priority and weight of the SRV records of {@link #srv(String, String, int)}. */
  private static final int PRIORITY = 10;

  private static final int WEIGHT = 60;
  private static final int PORT = 40000;
  private static final long S = 1_000_000L;

  /** The one timeline, each answer checked against the timeline split by client. */
  private final TimelineEquivalence timeline = new TimelineEquivalence();

  private long offset;

  static IpAddress ip(int a, int b, int c, int d) {
    return IpAddress.ofV4((a << 24) | (b << 16) | (c << 8) | d);
  }

  private static DnsName name(String s) {
    return DnsName.fromPresentation(s);
  }

  private OrderKey at(long micros) {
    return new OrderKey(micros, "capture.snoop", offset += 100);
  }

  private void query(long t, IpAddress client, int id, String name) {
    timeline.accept(DnsEvent.query(at(t), new QueryKey(client, PORT, SERVER, id, name(name))));
  }

  private void response(long t, IpAddress client, int id, String name, DnsEventRecord... records) {
    long answers =
        List.of(records).stream().filter(r -> r.section() == DnsEventRecord.Section.ANSWER).count();
    response(t, client, id, name, (int) answers, records);
  }

  private void response(
      long t, IpAddress client, int id, String name, int answerCount, DnsEventRecord... records) {
    timeline.accept(
        DnsEvent.response(
            at(t),
            new QueryKey(client, PORT, SERVER, id, name(name)),
            answerCount,
            List.of(records)));
  }

  private static DnsEventRecord a(String owner, IpAddress address) {
    return DnsEventRecord.address(DnsEventRecord.Section.ANSWER, name(owner), address);
  }

  private static DnsEventRecord additionalA(String owner, IpAddress address) {
    return DnsEventRecord.address(DnsEventRecord.Section.ADDITIONAL, name(owner), address);
  }

  private static DnsEventRecord srv(String service, String target, int port) {
    return srv(service, target, port, PRIORITY, WEIGHT);
  }

  private static DnsEventRecord srv(
      String service, String target, int port, int priority, int weight) {
    return DnsEventRecord.srv(name(service), name(target), port, priority, weight);
  }

  private static DnsEventRecord cname(String alias, String target) {
    return DnsEventRecord.cname(name(alias), name(target));
  }

  private List<BackendFacts> backends() {
    return timeline.backends();
  }

  /**
   * Facts whose SRV ports all have the priority and weight of {@link #srv(String, String, int)}.
   */
  private static BackendFacts facts(
      IpAddress client,
      IpAddress backend,
      long firstSeen,
      String name,
      long dns,
      Map<Integer, Long> ports) {
    Map<Integer, SrvPriorityWeight> priorityWeight = new TreeMap<>();
    ports.keySet().forEach(port -> priorityWeight.put(port, pw(PRIORITY, WEIGHT)));
    return facts(client, backend, firstSeen, name, dns, ports, priorityWeight);
  }

  private static BackendFacts facts(
      IpAddress client,
      IpAddress backend,
      long firstSeen,
      String name,
      long dns,
      Map<Integer, Long> ports,
      Map<Integer, SrvPriorityWeight> priorityWeight) {
    return new BackendFacts(
        client,
        backend,
        firstSeen,
        name(name),
        dns,
        new TreeMap<>(ports),
        new TreeMap<>(priorityWeight));
  }

  private static SrvPriorityWeight pw(int priority, int weight) {
    return new SrvPriorityWeight(priority, weight);
  }

  // ---------------------------------------------------------------- matching

  @Test
  void responseMatchesIdenticalQuery() {
    query(0, CLIENT, 7, "www.example.com.");
    response(
        S, CLIENT, 7, "www.example.com.", a("www.example.com.", B1), a("www.example.com.", B2));
    assertThat(timeline.matchedResponses(), is(1L));
    assertThat(timeline.unmatchedResponses(), is(0L));
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, S, "www.example.com.", 1, Map.of()),
            facts(CLIENT, B2, S, "www.example.com.", 1, Map.of())));
  }

  @Test
  void responseDifferingInAnyIdentityFieldIsUnmatched() {
    query(0, CLIENT, 7, "www.example.com.");
    DnsEventRecord[] two = {a("www.example.com.", B1), a("www.example.com.", B2)};
    // other id, other name, other client
    response(S, CLIENT, 8, "www.example.com.", two);
    response(S, CLIENT, 7, "ftp.example.com.", two);
    response(S, OTHER_CLIENT, 7, "www.example.com.", two);
    timeline.accept(
        DnsEvent.response(
            at(S),
            new QueryKey(CLIENT, PORT + 1, SERVER, 7, name("www.example.com.")),
            2,
            List.of(two)));
    timeline.accept(
        DnsEvent.response(
            at(S),
            new QueryKey(CLIENT, PORT, ip(10, 0, 0, 54), 7, name("www.example.com.")),
            2,
            List.of(two)));
    assertThat(timeline.unmatchedResponses(), is(5L));
    assertThat(timeline.matchedResponses(), is(0L));
    assertThat(backends(), empty());
  }

  @Test
  void nameMatchIsCaseInsensitive() {
    query(0, CLIENT, 7, "WWW.Example.COM.");
    response(
        S, CLIENT, 7, "www.example.com.", a("www.example.com.", B1), a("www.example.com.", B2));
    assertThat(timeline.matchedResponses(), is(1L));
  }

  @Test
  void queryMustBeSentLessThanTenSecondsBefore() {
    query(0, CLIENT, 1, "a.example.");
    response(10 * S - 1, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    query(20 * S, CLIENT, 2, "a.example.");
    response(30 * S, CLIENT, 2, "a.example.", a("a.example.", B1), a("a.example.", B2));
    assertThat(timeline.matchedResponses(), is(1L));
    assertThat(timeline.unmatchedResponses(), is(1L));
  }

  @Test
  void responseAtTheSameInstantMatchesOnlyWhenTheQueryComesFirstInFileOrder() {
    query(5 * S, CLIENT, 1, "a.example.");
    response(5 * S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    response(6 * S, CLIENT, 2, "a.example.", a("a.example.", B1), a("a.example.", B2));
    query(6 * S, CLIENT, 2, "a.example.");
    assertThat(timeline.matchedResponses(), is(1L));
    assertThat(timeline.unmatchedResponses(), is(1L));
  }

  @Test
  void queryIsAnsweredAtMostOnce() {
    query(0, CLIENT, 1, "a.example.");
    response(S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    response(2 * S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    assertThat(timeline.matchedResponses(), is(1L));
    assertThat(timeline.unmatchedResponses(), is(1L));
    assertThat(backends().get(0).dnsCount(), is(1L));
  }

  @Test
  void latestIdenticalOutstandingQueryIsAnswered() {
    query(0, CLIENT, 1, "a.example.");
    query(5 * S, CLIENT, 1, "a.example.");
    response(6 * S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    // Had the first query been answered, the second (5 s old) would match this one.
    response(11 * S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    assertThat(timeline.matchedResponses(), is(1L));
    assertThat(timeline.unmatchedResponses(), is(1L));
  }

  @Test
  void identicalQueriesExpireOldestFirstPastAnsweredOnes() {
    query(0, CLIENT, 1, "a.example.");
    query(S, CLIENT, 1, "a.example.");
    query(2 * S, CLIENT, 1, "a.example.");
    response(3 * S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    // The 0 s query has expired, the 2 s one was answered: the 1 s one is left.
    response(10 * S + S / 2, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    response(10 * S + S / 2 + 1, CLIENT, 1, "a.example.", a("a.example.", B1));
    assertThat(timeline.matchedResponses(), is(2L));
    assertThat(timeline.unmatchedResponses(), is(1L));
    // After all of them expired, a new identical query is answered as usual.
    query(30 * S, CLIENT, 1, "a.example.");
    response(31 * S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    assertThat(timeline.matchedResponses(), is(3L));
    assertThat(backends().get(0).dnsCount(), is(3L));
  }

  @Test
  void expiredQueriesAreForgotten() {
    OutstandingQueries queries = new OutstandingQueries();
    for (int i = 0; i < 1000; i++) {
      queries.sent(new QueryKey(CLIENT, PORT, SERVER, i, name("a.example.")), i * 1000L);
    }
    assertThat(queries.size(), is(1000));
    queries.sent(new QueryKey(CLIENT, PORT, SERVER, 0, name("b.example.")), 20 * S);
    assertThat(queries.size(), is(1));
  }

  @Test
  void eventsOutOfTimelineOrderAreRejected() {
    query(5 * S, CLIENT, 1, "a.example.");
    assertThrows(IllegalStateException.class, () -> query(4 * S, CLIENT, 2, "a.example."));
  }

  // ---------------------------------------------------------------- A records

  @Test
  void singleAnswerIsNotABackend() {
    query(0, CLIENT, 1, "a.example.");
    response(S, CLIENT, 1, "a.example.", a("a.example.", B1));
    assertThat(timeline.matchedResponses(), is(1L));
    assertThat(backends(), empty());
  }

  @Test
  void multiRecordAnswerCountsRecordsOfEveryType() {
    // One A plus one record the rules do not use (e.g. AAAA): the answer section holds 2 records.
    query(0, CLIENT, 1, "a.example.");
    response(S, CLIENT, 1, "a.example.", 2, a("a.example.", B1));
    assertThat(backends(), contains(facts(CLIENT, B1, S, "a.example.", 1, Map.of())));
  }

  @Test
  void additionalSectionAOfUnknownNameIsNotABackend() {
    query(0, CLIENT, 1, "a.example.");
    response(S, CLIENT, 1, "a.example.", a("a.example.", B1), additionalA("ns.example.", B2));
    assertThat(backends(), empty());
  }

  @Test
  void dnsCountsResponsesNotRecords() {
    for (int i = 0; i < 3; i++) {
      query(i * 20L * S, CLIENT, i, "a.example.");
      response(
          i * 20L * S + 1,
          CLIENT,
          i,
          "a.example.",
          a("a.example.", B1),
          a("a.example.", B1),
          a("a.example.", B2));
    }
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, 1, "a.example.", 3, Map.of()),
            facts(CLIENT, B2, 1, "a.example.", 3, Map.of())));
  }

  @Test
  void backendsAreKeyedPerClient() {
    query(0, CLIENT, 1, "a.example.");
    response(1, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    query(2, OTHER_CLIENT, 1, "a.example.");
    response(3, OTHER_CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    assertThat(backends().size(), is(4));
    assertThat(backends().get(2).firstSeenMicros(), is(3L));
  }

  @Test
  void nameIsTheOwnerOfTheFirstCreatingRecord() {
    query(0, CLIENT, 1, "a.example.");
    response(1, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    query(2, CLIENT, 2, "b.example.");
    response(3, CLIENT, 2, "b.example.", a("b.example.", B1), a("b.example.", ip(1, 1, 1, 1)));
    BackendFacts b1 = backends().get(1); // after 1.1.1.1
    assertThat(b1.backend(), is(B1));
    assertThat(b1.name().presentation(), equalTo("a.example."));
    assertThat(b1.dnsCount(), is(2L));
    assertThat(b1.firstSeenMicros(), is(1L));
  }

  @Test
  void unmatchedResponsesCreateNoBackend() {
    response(S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    assertThat(backends(), empty());
  }

  // ---------------------------------------------------------------- CNAME

  @Test
  void cnameWithAtMostTwoAnswersIsIgnored() {
    query(0, CLIENT, 1, "www.example.");
    response(
        S, CLIENT, 1, "www.example.", cname("www.example.", "lb.example."), a("lb.example.", B1));
    assertThat(timeline.matchedResponses(), is(1L));
    assertThat(backends(), empty());
  }

  @Test
  void cnameWithMoreAnswersYieldsBackendsNamedByTheAOwner() {
    query(0, CLIENT, 1, "www.example.");
    response(
        S,
        CLIENT,
        1,
        "www.example.",
        cname("www.example.", "lb.example."),
        a("lb.example.", B1),
        a("lb.example.", B2));
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, S, "lb.example.", 1, Map.of()),
            facts(CLIENT, B2, S, "lb.example.", 1, Map.of())));
  }

  @Test
  void cnameToAKnownSrvTargetIsNotIgnored() {
    query(0, CLIENT, 1, "_http._tcp.example.");
    response(1, CLIENT, 1, "_http._tcp.example.", srv("_http._tcp.example.", "t1.example.", 8080));
    query(2, CLIENT, 2, "t1.example.");
    response(
        3, CLIENT, 2, "t1.example.", cname("t1.example.", "host.example."), a("host.example.", B1));
    assertThat(
        backends(), contains(facts(CLIENT, B1, 3, "_http._tcp.example.", 1, Map.of(8080, 1L))));
  }

  // ---------------------------------------------------------------- SRV

  @Test
  void srvAnswerWithAdditionalAddressYieldsServiceBackendOnItsPort() {
    query(0, CLIENT, 1, "_ldap._tcp.example.");
    response(
        S,
        CLIENT,
        1,
        "_ldap._tcp.example.",
        1,
        srv("_ldap._tcp.example.", "dc1.example.", 389),
        additionalA("dc1.example.", B1));
    assertThat(
        backends(), contains(facts(CLIENT, B1, S, "_ldap._tcp.example.", 1, Map.of(389, 1L))));
  }

  @Test
  void srvKnowledgeIsGlobalAndAppliesFromThatResponseOn() {
    // Before any SRV answer names t1, a single A answer for it is no backend.
    query(0, CLIENT, 1, "t1.example.");
    response(1, CLIENT, 1, "t1.example.", a("t1.example.", B1));
    // Another client's SRV lookup teaches that t1 is a target of the service.
    query(2, OTHER_CLIENT, 2, "_svc._tcp.example.");
    response(
        3, OTHER_CLIENT, 2, "_svc._tcp.example.", srv("_svc._tcp.example.", "t1.example.", 5000));
    query(4, CLIENT, 3, "T1.example.");
    response(5, CLIENT, 3, "T1.example.", a("T1.example.", B1));
    assertThat(
        backends(), contains(facts(CLIENT, B1, 5, "_svc._tcp.example.", 1, Map.of(5000, 1L))));
  }

  @Test
  void srvBeforeItsAddressInTheSameAnswerDoesNotMatterForOrder() {
    query(0, CLIENT, 1, "_svc._tcp.example.");
    response(
        1,
        CLIENT,
        1,
        "_svc._tcp.example.",
        a("t1.example.", B1),
        srv("_svc._tcp.example.", "t1.example.", 5000));
    assertThat(
        backends(), contains(facts(CLIENT, B1, 1, "_svc._tcp.example.", 1, Map.of(5000, 1L))));
  }

  @Test
  void srvTargetWinsOverMultiRecordAnswer() {
    query(0, CLIENT, 1, "_svc._tcp.example.");
    response(1, CLIENT, 1, "_svc._tcp.example.", srv("_svc._tcp.example.", "t1.example.", 5000));
    query(2, CLIENT, 2, "t1.example.");
    response(3, CLIENT, 2, "t1.example.", a("t1.example.", B1), a("t1.example.", B2));
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, 3, "_svc._tcp.example.", 1, Map.of(5000, 1L)),
            facts(CLIENT, B2, 3, "_svc._tcp.example.", 1, Map.of(5000, 1L))));
  }

  @Test
  void portsComeFromTheResponseElseFromAllKnowledgeOfTheTarget() {
    query(0, CLIENT, 1, "_a._tcp.example.");
    response(
        1,
        CLIENT,
        1,
        "_a._tcp.example.",
        1,
        srv("_a._tcp.example.", "t.example.", 80),
        additionalA("t.example.", B1));
    query(2, CLIENT, 2, "_b._tcp.example.");
    response(
        3,
        CLIENT,
        2,
        "_b._tcp.example.",
        1,
        srv("_b._tcp.example.", "t.example.", 81),
        additionalA("t.example.", B1));
    query(4, CLIENT, 3, "t.example.");
    response(5, CLIENT, 3, "t.example.", a("t.example.", B1));
    // 80: responses 1 and 3; 81: responses 2 and 3; the backend itself: 3 responses.
    assertThat(
        backends(), contains(facts(CLIENT, B1, 1, "_a._tcp.example.", 3, Map.of(80, 2L, 81, 2L))));
  }

  @Test
  void srvToRootTargetTeachesNothing() {
    query(0, CLIENT, 1, "_svc._tcp.example.");
    response(
        1,
        CLIENT,
        1,
        "_svc._tcp.example.",
        1,
        srv("_svc._tcp.example.", ".", 80),
        additionalA(".", B1));
    assertThat(backends(), empty());
  }

  @Test
  void laterSrvAddsPortsButKeepsTheFirstName() {
    query(0, CLIENT, 1, "t.example.");
    response(1, CLIENT, 1, "t.example.", a("t.example.", B1), a("t.example.", B2));
    query(2, CLIENT, 2, "_svc._tcp.example.");
    response(
        3,
        CLIENT,
        2,
        "_svc._tcp.example.",
        1,
        srv("_svc._tcp.example.", "t.example.", 443),
        additionalA("t.example.", B1));
    assertThat(backends().get(0), equalTo(facts(CLIENT, B1, 1, "t.example.", 2, Map.of(443, 1L))));
  }

  // ---------------------------------------------------------------- SRV priority and weight

  @Test
  void srvBackendsCarryThePriorityAndWeightOfTheirTargetsRecords() {
    query(0, CLIENT, 1, "_svc._tcp.example.");
    response(
        S,
        CLIENT,
        1,
        "_svc._tcp.example.",
        3,
        srv("_svc._tcp.example.", "t1.example.", 443, 10, 60),
        srv("_svc._tcp.example.", "t2.example.", 443, 10, 20),
        srv("_svc._tcp.example.", "t3.example.", 443, 20, 100),
        additionalA("t1.example.", B1),
        additionalA("t2.example.", B2),
        additionalA("t3.example.", B3));
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, S, "_svc._tcp.example.", 1, Map.of(443, 1L), Map.of(443, pw(10, 60))),
            facts(CLIENT, B2, S, "_svc._tcp.example.", 1, Map.of(443, 1L), Map.of(443, pw(10, 20))),
            facts(
                CLIENT,
                B3,
                S,
                "_svc._tcp.example.",
                1,
                Map.of(443, 1L),
                Map.of(443, pw(20, 100)))));
  }

  @Test
  void theLowestPriorityDecidesAndALaterHigherOneDoesNotReplaceIt() {
    query(0, CLIENT, 1, "_svc._tcp.example.");
    // The target on the port twice in one answer, the lower priority last: it decides.
    response(
        1,
        CLIENT,
        1,
        "_svc._tcp.example.",
        2,
        srv("_svc._tcp.example.", "t1.example.", 443, 20, 5),
        srv("_svc._tcp.example.", "t1.example.", 443, 10, 7),
        additionalA("t1.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(
                CLIENT, B1, 1, "_svc._tcp.example.", 1, Map.of(443, 1L), Map.of(443, pw(10, 7)))));
    // A later answer gives it a higher priority only: the lowest seen, and its weight, stay.
    query(2, CLIENT, 2, "_svc._tcp.example.");
    response(
        3,
        CLIENT,
        2,
        "_svc._tcp.example.",
        1,
        srv("_svc._tcp.example.", "t1.example.", 443, 30, 99),
        additionalA("t1.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(
                CLIENT, B1, 1, "_svc._tcp.example.", 2, Map.of(443, 2L), Map.of(443, pw(10, 7)))));
  }

  @Test
  void aTargetLearntFromAnotherClientsSrvAnswerHasThatAnswersPriorityAndWeight() {
    query(0, OTHER_CLIENT, 1, "_svc._tcp.example.");
    response(
        1,
        OTHER_CLIENT,
        1,
        "_svc._tcp.example.",
        srv("_svc._tcp.example.", "t1.example.", 5000, 5, 40),
        srv("_svc._tcp.example.", "t2.example.", 5000, 5, 10),
        srv("_svc._tcp.example.", "t3.example.", 5000, 7, 0));
    // The client resolves two of the targets by address only.
    query(2, CLIENT, 2, "t1.example.");
    response(3, CLIENT, 2, "t1.example.", a("t1.example.", B1));
    query(4, CLIENT, 3, "t2.example.");
    response(5, CLIENT, 3, "t2.example.", a("t2.example.", B2));
    assertThat(
        backends(),
        contains(
            facts(
                CLIENT, B1, 3, "_svc._tcp.example.", 1, Map.of(5000, 1L), Map.of(5000, pw(5, 40))),
            facts(
                CLIENT,
                B2,
                5,
                "_svc._tcp.example.",
                1,
                Map.of(5000, 1L),
                Map.of(5000, pw(5, 10)))));
  }

  @Test
  void aRecordReAnnouncedWithANewWeightDecidesForTheListingsThatKnowIt() {
    query(0, CLIENT, 1, "_svc._tcp.example.");
    response(
        1,
        CLIENT,
        1,
        "_svc._tcp.example.",
        1,
        srv("_svc._tcp.example.", "t1.example.", 443, 10, 50),
        additionalA("t1.example.", B1));
    // Another client's lookup: the same record with a new weight.
    query(2, OTHER_CLIENT, 2, "_svc._tcp.example.");
    response(
        3,
        OTHER_CLIENT,
        2,
        "_svc._tcp.example.",
        srv("_svc._tcp.example.", "t1.example.", 443, 10, 80));
    // No response has listed B1 since: the weight its one listing knew stands.
    assertThat(
        backends(),
        contains(
            facts(
                CLIENT, B1, 1, "_svc._tcp.example.", 1, Map.of(443, 1L), Map.of(443, pw(10, 50)))));
    // The client's next lookup, by address, knows both records: the more recent one decides.
    query(4, CLIENT, 3, "t1.example.");
    response(5, CLIENT, 3, "t1.example.", a("t1.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(
                CLIENT, B1, 1, "_svc._tcp.example.", 2, Map.of(443, 2L), Map.of(443, pw(10, 80)))));
  }

  @Test
  void priorityAndWeightArePerPortFromTheRecordsNamingTheTargetOnThatPort() {
    query(0, CLIENT, 1, "_a._tcp.example.");
    response(1, CLIENT, 1, "_a._tcp.example.", srv("_a._tcp.example.", "t.example.", 80, 1, 10));
    query(2, CLIENT, 2, "_b._tcp.example.");
    response(3, CLIENT, 2, "_b._tcp.example.", srv("_b._tcp.example.", "t.example.", 81, 2, 20));
    query(4, CLIENT, 3, "t.example.");
    response(5, CLIENT, 3, "t.example.", a("t.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(
                CLIENT,
                B1,
                5,
                "_a._tcp.example.",
                1,
                Map.of(80, 1L, 81, 1L),
                Map.of(80, pw(1, 10), 81, pw(2, 20)))));
  }

  /**
   * Two targets of one address at one priority: each listing knows its own target's record, and the
   * latest listing's weight stands, though the other target's record was announced later.
   */
  @Test
  void twoTargetsOfOneAddressAtOnePriorityTakeTheLatestListingsWeight() {
    query(0, CLIENT, 1, "_a._tcp.example.");
    response(
        1,
        CLIENT,
        1,
        "_a._tcp.example.",
        srv("_a._tcp.example.", "x.example.", 443, 10, 30),
        additionalA("x.example.", B1));
    query(2, CLIENT, 2, "_b._tcp.example.");
    response(
        3,
        CLIENT,
        2,
        "_b._tcp.example.",
        srv("_b._tcp.example.", "y.example.", 443, 10, 70),
        additionalA("y.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, 1, "_a._tcp.example.", 2, Map.of(443, 2L), Map.of(443, pw(10, 70)))));
    // x's record (weight 30, at 1) is still the one that decides for x: this listing's weight.
    query(4, CLIENT, 3, "x.example.");
    response(5, CLIENT, 3, "x.example.", a("x.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, 1, "_a._tcp.example.", 3, Map.of(443, 3L), Map.of(443, pw(10, 30)))));
    // One response lists it as y, then as x: the later record, x's, gives the weight.
    query(6, CLIENT, 4, "_b._tcp.example.");
    response(
        7,
        CLIENT,
        4,
        "_b._tcp.example.",
        srv("_b._tcp.example.", "y.example.", 443, 10, 70),
        additionalA("y.example.", B1),
        additionalA("x.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(CLIENT, B1, 1, "_a._tcp.example.", 4, Map.of(443, 4L), Map.of(443, pw(10, 30)))));
  }

  /** Listed as t2 then as t1: the lower priority of t2's record decides, not the last listing. */
  @Test
  void twoTargetsOfOneAddressTakeTheLowestPriorityOfTheirListings() {
    query(0, CLIENT, 1, "_svc._tcp.example.");
    response(
        1,
        CLIENT,
        1,
        "_svc._tcp.example.",
        2,
        srv("_svc._tcp.example.", "t1.example.", 443, 20, 30),
        srv("_svc._tcp.example.", "t2.example.", 443, 10, 70),
        additionalA("t2.example.", B1),
        additionalA("t1.example.", B1));
    assertThat(
        backends(),
        contains(
            facts(
                CLIENT, B1, 1, "_svc._tcp.example.", 1, Map.of(443, 1L), Map.of(443, pw(10, 70)))));
  }

  @Test
  void addressRecordBackendsHaveNoPriorityOrWeight() {
    query(0, CLIENT, 1, "a.example.");
    response(S, CLIENT, 1, "a.example.", a("a.example.", B1), a("a.example.", B2));
    assertThat(backends().get(0).srvPortPriorityWeight(), equalTo(Map.of()));
    assertThat(backends().get(1).srvPortPriorityWeight(), equalTo(Map.of()));
  }
}
