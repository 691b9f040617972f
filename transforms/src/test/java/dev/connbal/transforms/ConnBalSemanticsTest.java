package dev.connbal.transforms;

import static dev.connbal.transforms.testing.Packets.ACK;
import static dev.connbal.transforms.testing.Packets.CWR;
import static dev.connbal.transforms.testing.Packets.ECE;
import static dev.connbal.transforms.testing.Packets.FIN;
import static dev.connbal.transforms.testing.Packets.PSH;
import static dev.connbal.transforms.testing.Packets.RST;
import static dev.connbal.transforms.testing.Packets.SYN;
import static dev.connbal.transforms.testing.Packets.TYPE_A;
import static dev.connbal.transforms.testing.Packets.TYPE_AAAA;
import static dev.connbal.transforms.testing.Packets.TYPE_SRV;
import static dev.connbal.transforms.testing.Packets.a;
import static dev.connbal.transforms.testing.Packets.cname;
import static dev.connbal.transforms.testing.Packets.srv;
import static dev.connbal.transforms.testing.Rows.row;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.connbal.snoop.SnoopIO;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.testing.Capture;
import dev.connbal.transforms.testing.Packets;
import dev.connbal.transforms.testing.RawDns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.IpV4NoOperationOption;
import org.pcap4j.packet.namednumber.IpNumber;

/**
 * SEMANTICS.md rule by rule, end to end: packets built with pcap4j ({@link Packets}), written as
 * snoop files, read and analyzed by {@link ConnBal} on the Direct runner, each with the DNS
 * timeline split by client and as one timeline, which must agree.
 *
 * <pre>
 * Rule (SEMANTICS.md)                                          Test
 * Input: snoop v2, Ethernet                                    ethernetSnoopCaptureGivesRowsAndReport
 * Input: 802.1Q / 802.1ad tags                                 vlanTaggedFramesAreDecoded
 * Input: IPv4 options via IHL; fragments skipped, counted      ipv4OptionsAreHonouredAndFragmentsSkipped
 * Input: not-IP frames skipped, by reason                      notIpFramesAreSkippedAndCounted
 * Input: IPv6, extension headers walked; fragments, truncated  ipv6ExtensionHeadersAreWalkedAndBroken...
 * Input: DNS over UDP and TCP, SYNs, over IPv6                 ipv6ClientOverUdpWithItsSynsAndRetransmits,
 *                                                              dnsOverTcpOnIpv6
 * Events: an IPv6 SYN retransmitted 120 s later is another     ipv6ClientOverUdpWithItsSynsAndRetransmits
 * Backends: AAAA is an address record: multi-record answer     aaaaMultiRecordAnswerMakesBackends
 * Backends: AAAA of an SRV target (additional section)         srvTargetAnsweredByAaaaInTheAdditional...
 * Backends: A and AAAA in one answer count together            mixedAAndAaaaInOneAnswerCountTogether
 * Output: IPv6 padded and plain, bracketed in the backend      ipv6ClientOverUdpWithItsSynsAndRetransmits
 * Output: IPv4 before IPv6, numeric                            linesSortIpv4BeforeIpv6NumericallyByFamily
 * Input: many files form one timeline                          manyFilesFormOneTimeline
 * Input: ties keep file order (files by name)                  sameTimestampKeepsFileOrder
 * Events: query = to 53, QDCOUNT 1, class IN, A, AAAA or SRV  onlyInQueriesForAAaaaOrSrvAreQueries
 * Events: name filter (substring)                              nameFilterIsACaseInsensitiveSubstring
 * Events: response matches (client, port, server, id, name)    responseMustComeFromTheQueriedServer
 * Events: query sent less than 10 s before                     responseMustFollowTheQueryWithinTenSeconds
 * Events: answered once, latest identical query wins           latestIdenticalQueryIsAnsweredOnce
 * Events: QDCOUNT > 1, ANCOUNT > 1000, short = malformed       malformedDnsMessagesAreCounted
 * Events: DNS over TCP put back in sequence order: a message   DnsOverTcpTest.messagesOverTcpAre...
 *   over several segments, pipelined messages, a retransmitted   (hand-derived rows), with each
 *   and out-of-order segments, a gap's message lost, counted;    rule alone in
 *   a message at the time of the segment completing it          DnsStreamReassemblerTest
 * Events: DNS over TCP whatever the split or the files         DnsOverTcpTest.everySplitSize...,
 *                                                              DnsOverTcpTest.streamsCutAcross...
 * Events: a truncated response (TC) names no backend           truncatedResponseAnswersItsQuery...
 * Events: attempt = SYN w/o ACK/FIN/RST, ECN ignored, retx     onlyOpeningSynsAreAttemptsAndRetransmitsCountOnce
 * Events: a retransmit is less than 120 s after the first SYN SynRetransmitWindowTest
 * Backends: authority and OPT records skipped                  authorityAndOptRecordsAreSkipped
 * Backends: SRV target:port, A in answer or additional         srvTargetsBecomeServiceBackendsOnTheirPorts
 *   (rows carry each SRV port's priority and weight)           srvPriorityAndWeightShowInTheRows
 * Backends: SRV knowledge global, from that response on        srvKnowledgeIsGlobalFromThatResponseOn
 *   (also across the timeline's client shards)                 ShardedTimelinePropertiesTest
 *   (also when the SRV query and its answer are read apart)    srvKnowledgeHoldsWhenTheQueryAnd...
 * Backends: multi-record answer, single A is not               multiRecordAnswerMakesBackendsSingleAnswerDoesNot
 * Backends: CNAME with at most 2 answers ignored               cnameWithAtMostTwoAnswersIsIgnored
 * Backends: keyed by (client, backend), name of first record   backendsArePerClientAndNamedByTheFirstRecord
 * Backends: #dns = matched responses listing it                dnsCountsMatchedResponsesThatListTheBackend
 * Backends: #conns only at or after first DNS appearance       connectionsCountOnlyFromTheFirstDnsAppearance
 * All-streams: open streams count if used after DNS            allStreamsCountsStreamsOpenBeforeTheLookup
 * All-streams: FIN/RST close, only a new SYN reopens           allStreamsTracksClosesAndReopens
 * Output: zero-padded IPs, plain option                        plainIpFormatPrintsDottedDecimal
 * Output: backend-ip:? with #conns 0                           backendWithoutPortOrConnectionPrintsUnknownPort
 * Output: escaped names cannot break TSV                       hostileNamesCannotBreakTheTsv
 * Output: sorted by client, backend, port (numeric)            linesSortNumericallyByClientBackendPort
 * Output: empty document when there are no rows                noBackendsGiveAnEmptyDocument
 * Report: corrupt/truncated records, files with errors         readErrorsAreReportedWithTheirBytes
 * Decisions (docs/DECISIONS.md): see the tests named there.
 * </pre>
 */
class ConnBalSemanticsTest {
  static final String C = "10.0.0.1";
  static final String C2 = "10.0.0.2";
  static final String NS = "10.0.0.53";
  static final String NS2 = "10.0.0.54";
  static final String B1 = "192.168.1.1";
  static final String B2 = "192.168.1.2";
  static final String B3 = "192.168.1.3";
  static final int CPORT = 40000;
  static final long T = 1_700_000_000L;
  static final int TYPE_MX = 15;

  static final String C6 = "2001:db8::c1";
  static final String NS6 = "2001:db8::53";
  static final String B6_1 = "2001:db8:1::1";
  static final String B6_2 = "2001:db8:1::2";
  static final String C6_PADDED = "2001:0db8:0000:0000:0000:0000:0000:00c1";
  static final String B6_1_PADDED = "2001:0db8:0001:0000:0000:0000:0000:0001";
  static final String B6_2_PADDED = "2001:0db8:0001:0000:0000:0000:0000:0002";

  /** Where the DNS message starts in an Ethernet frame of IPv4 (no options) and UDP. */
  static final int UDP_DNS_AT = 14 + 20 + 8;

  @TempDir Path tmp;

  // ---------------------------------------------------------------- helpers

  static byte[] q(String client, int id, String name, int qtype) {
    return Packets.dnsQuery(client, CPORT, NS, id, name, qtype);
  }

  static byte[] r(String client, int id, String name, int qtype, Packets.Rr... answers) {
    return Packets.dnsResponse(client, CPORT, NS, id, name, qtype, answers);
  }

  static byte[] r(
      String client,
      int id,
      String name,
      int qtype,
      List<Packets.Rr> answers,
      List<Packets.Rr> authorities,
      List<Packets.Rr> additionals) {
    return Packets.dnsResponse(
        client, CPORT, NS, id, name, qtype, answers, authorities, additionals);
  }

  static byte[] syn(String client, int clientPort, String backend, int port, long isn) {
    return Packets.syn(client, clientPort, backend, port, isn);
  }

  /** A capture of C resolving www.example.com. to B1 and B2 at T+1. */
  static Capture lookup() {
    return Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
        .then(
            T + 1,
            0,
            r(C, 1, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B2)));
  }

  static String line(String client, String backend, long conns, long dns, String name) {
    return client + "\t" + backend + "\t" + conns + "\t" + dns + "\t" + name + "\n";
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(tmp.resolve(name));
  }

  private ConnBalRun.Output run(Capture capture, ConnBal.Analyze analyze) throws IOException {
    return run(capture, analyze, IpFormat.PADDED);
  }

  private ConnBalRun.Output run(Capture capture, ConnBal.Analyze analyze, IpFormat ips)
      throws IOException {
    Path in = dir("in");
    capture.writeTo(in.resolve("capture.snoop"));
    return runDir(in, analyze, ips);
  }

  /**
   * Runs {@code analyze} (its timeline split into {@value ConnBal#DEFAULT_TIMELINE_SHARD_COUNT}
   * shards of clients), and again with one timeline of every client: the two must agree.
   */
  private ConnBalRun.Output runDir(Path in, ConnBal.Analyze analyze) {
    return runDir(in, analyze, IpFormat.PADDED);
  }

  private ConnBalRun.Output runDir(Path in, ConnBal.Analyze analyze, IpFormat ips) {
    String files = in.resolve("*").toString();
    ConnBalRun.Output split = ConnBalRun.direct(files, analyze, ips, tmp);
    ConnBalRun.Output one = ConnBalRun.direct(files, analyze.withTimelineShardCount(1), ips, tmp);
    assertThat("TSV of one timeline and of the split", one.tsv(), equalTo(split.tsv()));
    assertThat("rows of one timeline and of the split", one.rows(), equalTo(split.rows()));
    assertThat("report of one timeline and of the split", one.report(), equalTo(split.report()));
    return split;
  }

  private String tsv(Capture capture) throws IOException {
    return run(capture, ConnBal.analyze()).tsv();
  }

  // ---------------------------------------------------------------- input

  /**
   * A truncated response (TC) answers its query but names no backend: the SYN to an address it
   * carries is not counted, and the same answer without TC, which a confused server sends after it,
   * finds no query left to answer.
   */
  @Test
  void truncatedResponseAnswersItsQueryButNamesNoBackend() throws IOException {
    byte[] truncated =
        r(C, 1, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B2));
    truncated[UDP_DNS_AT + 2] |= 0x02; // TC, in the high byte of the flags
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(T + 1, 0, truncated)
            .then(T + 1, 1, r(C, 1, "www.example.com", TYPE_A, a("www.example.com", B1)))
            .then(T + 2, 0, syn(C, 50001, B1, 443, 100));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.tsv(), equalTo(""));
    assertThat(out.report().responsesWithoutQuery(), is(1L));
  }

  @Test
  void ethernetSnoopCaptureGivesRowsAndReport() throws IOException {
    Capture c =
        lookup()
            .then(T + 2, 0, syn(C, 50001, B1, 443, 100))
            .then(T + 2, 1, syn(C, 50002, B1, 443, 200))
            .then(T + 3, 0, syn(C, 50003, B2, 443, 300));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 2, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:443", 1, 1, "www.example.com.")));
    RunReport report = out.report();
    assertThat(report.packets(), is(5L));
    long bytes = 0;
    for (byte[] f :
        List.of(
            q(C, 1, "www.example.com", TYPE_A),
            r(C, 1, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B2)),
            syn(C, 50001, B1, 443, 100),
            syn(C, 50002, B1, 443, 200),
            syn(C, 50003, B2, 443, 300))) {
      bytes += f.length;
    }
    assertThat(report.frameBytes(), is(bytes));
    assertThat(report.responsesWithoutQuery(), is(0L));
    assertThat(report.dnsMalformed(), is(0L));
    assertThat(out.readErrors(), equalTo(List.of()));
    // The report is also published as Beam metrics.
    assertThat(out.connbalCounters().get("packets"), is(5L));
    assertThat(out.connbalCounters().get("frameBytes"), is(bytes));
    assertThat(out.connbalCounters().get("responsesMatched"), is(1L));
    assertThat(out.connbalCounters().get("connectionsCounted"), is(3L));
  }

  @Test
  void vlanTaggedFramesAreDecoded() throws IOException {
    Capture c =
        Capture.at(T, 0, Packets.vlan(q(C, 1, "www.example.com", TYPE_A), Packets.TPID_8021Q, 10))
            .then(
                T + 1,
                0,
                Packets.vlan(
                    Packets.vlan(
                        r(
                            C,
                            1,
                            "www.example.com",
                            TYPE_A,
                            a("www.example.com", B1),
                            a("www.example.com", B2)),
                        Packets.TPID_8021Q,
                        10),
                    Packets.TPID_8021AD,
                    20))
            .then(T + 2, 0, Packets.vlan(syn(C, 50001, B1, 443, 1), Packets.TPID_8021Q, 10));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 1, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  @Test
  void ipv4OptionsAreHonouredAndFragmentsSkipped() throws IOException {
    // A SYN whose IPv4 header carries 4 bytes of options (IHL 6).
    byte[] synWithOptions =
        Packets.ethernet(
            Packets.ipv4(C, B1, IpNumber.TCP, Packets.tcpBuilder(C, 50001, B1, 443, SYN, 1))
                .options(
                    List.of(
                        IpV4NoOperationOption.getInstance(),
                        IpV4NoOperationOption.getInstance(),
                        IpV4NoOperationOption.getInstance(),
                        IpV4NoOperationOption.getInstance())));
    // A non-first fragment whose payload would look like a SYN: skipped, counted.
    byte[] fragment =
        Packets.ethernet(
            Packets.ipv4(C, B1, IpNumber.TCP, Packets.tcpBuilder(C, 50002, B1, 443, SYN, 2))
                .dontFragmentFlag(false)
                .fragmentOffset((short) 185));
    Capture c = lookup().then(T + 2, 0, synWithOptions).then(T + 2, 1, fragment);
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().fragmentsSkipped(), is(1L));
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 1, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  @Test
  void notIpFramesAreSkippedAndCounted() throws IOException {
    Capture c =
        lookup()
            .then(
                T + 2,
                0,
                Packets.ipv6Udp(
                    "fd00::1",
                    CPORT,
                    "fd00::53",
                    53,
                    Packets.dnsQueryMessage(9, "www.example.com", TYPE_A)))
            .then(T + 2, 1, Packets.arpRequest(C, NS))
            .then(T + 3, 0, syn(C, 50001, B1, 443, 1));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().noTransportHeaderFrames(), is(0L));
    assertThat(out.report().notIpFrames(), is(1L));
    assertThat(out.report().packets(), is(5L));
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 1, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  @Test
  void manyFilesFormOneTimeline() throws IOException {
    Path in = dir("in");
    // The SYN file sorts first by name but its packets come after the DNS file's.
    Capture.at(T + 5, 0, syn(C, 50001, B2, 80, 1)).writeTo(in.resolve("a.snoop"));
    lookup().writeTo(in.resolve("b.snoop"));
    Capture.at(T, 500_000, syn(C, 50002, B2, 80, 2)).writeTo(in.resolve("c.snoop"));
    assertThat(
        runDir(in, ConnBal.analyze()).tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:80", 1, 1, "www.example.com.")));
  }

  @Test
  void sameTimestampKeepsFileOrder() throws IOException {
    Path in = dir("in");
    // Query and response at the same instant: matched only if the query's file sorts first.
    Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A)).writeTo(in.resolve("a.snoop"));
    Capture.at(
            T,
            0,
            r(C, 1, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B2)))
        .then(T, 0, q(C, 2, "www.example.com", TYPE_A))
        .writeTo(in.resolve("b.snoop"));
    Capture.at(
            T,
            0,
            r(C, 2, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B3)))
        .writeTo(in.resolve("0.snoop"));
    ConnBalRun.Output out = runDir(in, ConnBal.analyze());
    assertThat(out.report().responsesWithoutQuery(), is(1L));
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  // ---------------------------------------------------------------- events

  @Test
  void onlyInQueriesForAAaaaOrSrvAreQueries() throws IOException {
    byte[] chaosQuery =
        Packets.udpFrame(
            C,
            CPORT,
            NS,
            53,
            RawDns.header(3, RawDns.FLAGS_QUERY, 1, 0, 0, 0)
                .name("www.example.com")
                .u16(TYPE_A)
                .u16(3)
                .build());
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_MX))
            .then(
                T,
                1,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_MX,
                    a("www.example.com", B1),
                    a("www.example.com", B2)))
            .then(T, 2, chaosQuery)
            .then(
                T,
                3,
                r(
                    C,
                    3,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)))
            .then(T, 4, q(C, 4, "_sip._tcp.example.com", TYPE_SRV))
            .then(
                T,
                5,
                r(
                    C,
                    4,
                    "_sip._tcp.example.com",
                    TYPE_SRV,
                    List.of(srv("_sip._tcp.example.com", "sip.example.com", 5060)),
                    List.of(),
                    List.of(a("sip.example.com", B3))));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().responsesWithoutQuery(), is(2L));
    assertThat(
        out.tsv(),
        equalTo(line("010.000.000.001", "192.168.001.003:5060", 0, 1, "_sip._tcp.example.com.")));
  }

  @Test
  void nameFilterIsACaseInsensitiveSubstring() throws IOException {
    Capture c =
        lookup()
            .then(T + 2, 0, q(C, 2, "api.example.org", TYPE_A))
            .then(
                T + 2,
                1,
                r(
                    C,
                    2,
                    "api.example.org",
                    TYPE_A,
                    a("api.example.org", B2),
                    a("api.example.org", B3)));
    ConnBalRun.Output out = run(c, ConnBal.analyze().withNameFilter("EXAMPLE.org"));
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.002:?", 0, 1, "api.example.org.")
                + line("010.000.000.001", "192.168.001.003:?", 0, 1, "api.example.org.")));
    // decision: responses for filtered-out names are not "without a matching query"
    assertThat(out.report().responsesWithoutQuery(), is(0L));
  }

  @Test
  void responseMustComeFromTheQueriedServer() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T + 1,
                0,
                Packets.dnsResponse(
                    C,
                    CPORT,
                    NS2,
                    1,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)))
            .then(
                T + 1,
                1,
                Packets.dnsResponse(
                    C,
                    CPORT + 1,
                    NS,
                    1,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)))
            .then(
                T + 1,
                2,
                r(
                    C,
                    2,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)))
            .then(
                T + 1,
                3,
                r(
                    C,
                    1,
                    "www.example.net",
                    TYPE_A,
                    a("www.example.net", B1),
                    a("www.example.net", B2)));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().responsesWithoutQuery(), is(4L));
    assertThat(out.tsv(), equalTo(""));
  }

  @Test
  void responseMustFollowTheQueryWithinTenSeconds() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "a.example.com", TYPE_A))
            .then(
                T + 9,
                999_999,
                r(C, 1, "a.example.com", TYPE_A, a("a.example.com", B1), a("a.example.com", B2)))
            .then(T + 20, 0, q(C, 2, "b.example.com", TYPE_A))
            .then(
                T + 30,
                0,
                r(C, 2, "b.example.com", TYPE_A, a("b.example.com", B3), a("b.example.com", B2)));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().responsesWithoutQuery(), is(1L));
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, "a.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "a.example.com.")));
  }

  @Test
  void latestIdenticalQueryIsAnsweredOnce() throws IOException {
    byte[] response =
        r(C, 1, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B2));
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(T + 5, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(T + 6, 0, response)
            .then(T + 11, 0, response);
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    // The second response would match the first query had the first response not taken the latest.
    assertThat(out.report().responsesWithoutQuery(), is(1L));
    assertThat(
        out.tsv().lines().toList().get(0),
        equalTo(line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.").strip()));
  }

  @Test
  void malformedDnsMessagesAreCounted() throws IOException {
    byte[] twoQuestions =
        RawDns.header(1, RawDns.FLAGS_QUERY, 2, 0, 0, 0)
            .name("a.example.com")
            .u16(TYPE_A)
            .u16(1)
            .name("b.example.com")
            .u16(TYPE_A)
            .u16(1)
            .build();
    RawDns manyAnswers =
        RawDns.header(2, RawDns.FLAGS_RESPONSE, 1, 1001, 0, 0)
            .name("a.example.com")
            .u16(TYPE_A)
            .u16(1);
    for (int i = 0; i < 1001; i++) {
      manyAnswers.pointer(12).u16(TYPE_A).u16(1).u32(60).u16(4).bytes(192, 168, 1, i & 0xff);
    }
    Capture c =
        lookup()
            .then(T + 2, 0, Packets.udpFrame(C, CPORT, NS, 53, twoQuestions))
            .then(T + 2, 1, Packets.udpFrame(NS, 53, C, CPORT, manyAnswers.build()))
            .then(T + 2, 2, Packets.udpFrame(C, CPORT, NS, 53, new byte[11]));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().dnsMalformed(), is(3L));
    assertThat(out.tsv().lines().count(), is(2L));
  }

  @Test
  void onlyOpeningSynsAreAttemptsAndRetransmitsCountOnce() throws IOException {
    Capture c =
        lookup()
            .then(T + 2, 0, syn(C, 50001, B1, 443, 1))
            .then(T + 3, 0, syn(C, 50001, B1, 443, 1)) // retransmit: same attempt
            .then(T + 4, 0, syn(C, 50001, B1, 443, 2)) // new ISN: new attempt
            .then(T + 4, 1, Packets.tcp(C, 50002, B1, 443, SYN | ECE | CWR, 3)) // ECN setup SYN
            .then(T + 4, 2, Packets.tcp(C, 50003, B1, 443, SYN | PSH, 4)) // other bits ignored
            .then(T + 5, 0, Packets.tcp(C, 50004, B1, 443, SYN | ACK, 5))
            .then(T + 5, 1, Packets.tcp(C, 50005, B1, 443, SYN | FIN, 6))
            .then(T + 5, 2, Packets.tcp(C, 50006, B1, 443, SYN | RST, 7))
            .then(T + 5, 3, Packets.tcp(C, 50007, B1, 443, ACK, 8))
            .then(T + 5, 4, syn(B1, 443, C, 50008, 9)); // backend to client: not an attempt
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 4, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  @Test
  void onlyAttemptsFromTheClientToItsOwnBackendsCount() throws IOException {
    // Pass 1 keeps the SYNs to every server before any backend is known; the count keeps those
    // from a client to one of its own DNS backends.
    Capture c =
        lookup()
            .then(T + 2, 0, syn(C, 50001, B1, 443, 1)) // C's backend: counts
            .then(T + 2, 1, syn(C2, 50002, B1, 443, 2)) // C's backend, but C2 looked nothing up
            .then(T + 2, 2, syn(C, 50003, B3, 443, 3)) // a server DNS never named to C
            .then(T + 2, 3, syn(B2, 50004, C, 443, 4)); // from C's backend to C
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 1, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  // ---------------------------------------------------------------- backends

  @Test
  void authorityAndOptRecordsAreSkipped() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    List.of(a("www.example.com", B1)),
                    List.of(a("www.example.com", B2), a("www.example.com", B3)),
                    List.of(Packets.opt())))
            .then(T + 2, 0, q(C, 2, "_h._tcp.example.com", TYPE_SRV))
            .then(
                T + 3,
                0,
                r(
                    C,
                    2,
                    "_h._tcp.example.com",
                    TYPE_SRV,
                    List.of(srv("_h._tcp.example.com", "t.example.com", 8080)),
                    List.of(a("t.example.com", B2)),
                    List.of(Packets.opt(), a("t.example.com", B3))));
    assertThat(
        tsv(c),
        equalTo(line("010.000.000.001", "192.168.001.003:8080", 0, 1, "_h._tcp.example.com.")));
  }

  @Test
  void srvTargetsBecomeServiceBackendsOnTheirPorts() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "_ldap._tcp.example.com", TYPE_SRV))
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "_ldap._tcp.example.com",
                    TYPE_SRV,
                    List.of(
                        srv("_ldap._tcp.example.com", "dc1.example.com", 389),
                        srv("_ldap._tcp.example.com", "dc2.example.com", 389)),
                    List.of(),
                    List.of(a("dc1.example.com", B1), a("dc2.example.com", B2))))
            .then(T + 2, 0, syn(C, 50001, B1, 389, 1))
            .then(T + 2, 1, syn(C, 50002, B1, 389, 2))
            // decision: a port that is not the SRV port still gets its own row, with the total #dns
            .then(T + 2, 2, syn(C, 50003, B1, 636, 3));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:389", 2, 1, "_ldap._tcp.example.com.")
                + line("010.000.000.001", "192.168.001.001:636", 1, 1, "_ldap._tcp.example.com.")
                // decision: SRV ports print even with no connection
                + line("010.000.000.001", "192.168.001.002:389", 0, 1, "_ldap._tcp.example.com.")));
  }

  /**
   * An SRV answer of two priorities and unequal weights: each SRV row has its target's priority and
   * weight; a port no SRV record names, and an address-record backend, have none.
   */
  @Test
  void srvPriorityAndWeightShowInTheRows() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "_svc._tcp.example.com", TYPE_SRV))
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "_svc._tcp.example.com",
                    TYPE_SRV,
                    List.of(
                        srv("_svc._tcp.example.com", "t1.example.com", 443, 10, 60),
                        srv("_svc._tcp.example.com", "t2.example.com", 443, 10, 20),
                        srv("_svc._tcp.example.com", "t3.example.com", 443, 20, 100)),
                    List.of(),
                    List.of(
                        a("t1.example.com", B1), a("t2.example.com", B2), a("t3.example.com", B3))))
            .then(T + 2, 0, syn(C, 50001, B1, 443, 1))
            .then(T + 2, 1, syn(C, 50002, B1, 8443, 2))
            .then(T + 3, 0, q(C2, 2, "www.example.com", TYPE_A))
            .then(
                T + 3,
                1,
                r(
                    C2,
                    2,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)));
    String svc = "_svc._tcp.example.com.";
    assertThat(
        run(c, ConnBal.analyze()).rows(),
        equalTo(
            List.of(
                row(C, B1, 443, 1, 1, svc, 10, 60),
                row(C, B1, 8443, 1, 1, svc, null, null),
                row(C, B2, 443, 0, 1, svc, 10, 20),
                row(C, B3, 443, 0, 1, svc, 20, 100),
                row(C2, B1, null, 0, 1, "www.example.com.", null, null),
                row(C2, B2, null, 0, 1, "www.example.com.", null, null))));
  }

  @Test
  void srvKnowledgeIsGlobalFromThatResponseOn() throws IOException {
    assertThat(
        tsv(srvTargetTaughtByAnotherClient()),
        equalTo(line("010.000.000.001", "192.168.001.001:5060", 1, 1, "_sip._udp.example.com.")));
  }

  /**
   * The same with every record in a range of its own: the SRV query and its answer are read apart,
   * so the timeline split by client learns the target only if the learning pass also finds the
   * query among the events pass 1 did not set apart (FilterSrvEventsFn).
   */
  @Test
  void srvKnowledgeHoldsWhenTheQueryAndItsAnswerAreReadApart() throws IOException {
    ConnBalRun.Output out =
        run(srvTargetTaughtByAnotherClient(), ConnBal.analyze().withDesiredSplitSize(64));
    assertThat(
        out.tsv(),
        equalTo(line("010.000.000.001", "192.168.001.001:5060", 1, 1, "_sip._udp.example.com.")));
  }

  /**
   * C resolves sip.example.com (one A record: no backend), then C2's SRV answer names it a target
   * of _sip._udp.example.com on 5060, then C resolves it again and connects to 5060.
   */
  private static Capture srvTargetTaughtByAnotherClient() {
    // Before the SRV answer, a single A for the target is no backend.
    return Capture.at(T, 0, q(C, 1, "sip.example.com", TYPE_A))
        .then(T, 1, r(C, 1, "sip.example.com", TYPE_A, a("sip.example.com", B1)))
        // Another client's lookup teaches that sip.example.com is an SRV target.
        .then(T + 1, 0, q(C2, 2, "_sip._udp.example.com", TYPE_SRV))
        .then(
            T + 1,
            1,
            r(
                C2,
                2,
                "_sip._udp.example.com",
                TYPE_SRV,
                srv("_sip._udp.example.com", "sip.example.com", 5060)))
        .then(T + 2, 0, q(C, 3, "sip.example.com", TYPE_A))
        .then(T + 2, 1, r(C, 3, "sip.example.com", TYPE_A, a("sip.example.com", B1)))
        .then(T + 3, 0, syn(C, 50001, B1, 5060, 1));
  }

  @Test
  void multiRecordAnswerMakesBackendsSingleAnswerDoesNot() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "one.example.com", TYPE_A))
            .then(T, 1, r(C, 1, "one.example.com", TYPE_A, a("one.example.com", B1)))
            .then(T, 2, q(C, 2, "two.example.com", TYPE_A))
            .then(
                T,
                3,
                r(
                    C,
                    2,
                    "two.example.com",
                    TYPE_A,
                    a("two.example.com", B2),
                    Packets.aaaa("two.example.com", "fd00::2")))
            .then(T + 1, 0, syn(C, 50001, B1, 80, 1));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.002:?", 0, 1, "two.example.com.")
                + line(
                    "010.000.000.001",
                    "[fd00:0000:0000:0000:0000:0000:0000:0002]:?",
                    0,
                    1,
                    "two.example.com.")));
  }

  @Test
  void cnameWithAtMostTwoAnswersIsIgnored() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T,
                1,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    cname("www.example.com", "lb.example.net"),
                    a("lb.example.net", B1)))
            .then(T, 2, q(C, 2, "api.example.com", TYPE_A))
            .then(
                T,
                3,
                r(
                    C,
                    2,
                    "api.example.com",
                    TYPE_A,
                    cname("api.example.com", "pool.example.net"),
                    a("pool.example.net", B2),
                    a("pool.example.net", B3)));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.002:?", 0, 1, "pool.example.net.")
                + line("010.000.000.001", "192.168.001.003:?", 0, 1, "pool.example.net.")));
  }

  @Test
  void backendsArePerClientAndNamedByTheFirstRecord() throws IOException {
    Capture c =
        lookup()
            .then(T + 2, 0, q(C, 2, "api.example.com", TYPE_A))
            .then(
                T + 2,
                1,
                r(
                    C,
                    2,
                    "api.example.com",
                    TYPE_A,
                    a("api.example.com", B2),
                    a("api.example.com", B3)))
            .then(T + 3, 0, q(C2, 3, "api.example.com", TYPE_A))
            .then(
                T + 3,
                1,
                r(
                    C2,
                    3,
                    "api.example.com",
                    TYPE_A,
                    a("api.example.com", B2),
                    a("api.example.com", B3)));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 2, "www.example.com.")
                + line("010.000.000.001", "192.168.001.003:?", 0, 1, "api.example.com.")
                + line("010.000.000.002", "192.168.001.002:?", 0, 1, "api.example.com.")
                + line("010.000.000.002", "192.168.001.003:?", 0, 1, "api.example.com.")));
  }

  @Test
  void dnsCountsMatchedResponsesThatListTheBackend() throws IOException {
    Capture c = lookup();
    for (int i = 0; i < 3; i++) {
      c =
          c.then(T + 20 + i, 0, q(C, 10 + i, "www.example.com", TYPE_A))
              .then(
                  T + 20 + i,
                  1,
                  r(
                      C,
                      10 + i,
                      "www.example.com",
                      TYPE_A,
                      a("www.example.com", B1),
                      a("www.example.com", B1),
                      a("www.example.com", B3)));
    }
    c =
        c.then(
            T + 30,
            0,
            r(
                C,
                99,
                "www.example.com",
                TYPE_A,
                a("www.example.com", B1),
                a("www.example.com", B2)));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 4, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.003:?", 0, 3, "www.example.com.")));
  }

  @Test
  void connectionsCountOnlyFromTheFirstDnsAppearance() throws IOException {
    Capture c =
        Capture.at(T, 0, syn(C, 50001, B1, 443, 1)) // before any DNS: not counted
            .then(T, 500_000, syn(C, 50002, B1, 443, 2)) // decision: attempt time is its first SYN
            .then(T, 600_000, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)))
            .then(T + 1, 0, syn(C, 50003, B1, 443, 3)) // at the same instant: counted
            .then(T + 1, 500_000, syn(C, 50002, B1, 443, 2)) // retransmit of the early attempt
            .then(T + 2, 0, syn(C, 50004, B1, 443, 4));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 2, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  // ---------------------------------------------------------------- all streams

  @Test
  void allStreamsCountsStreamsOpenBeforeTheLookup() throws IOException {
    Capture c =
        Capture.at(T - 100, 0, syn(C, 50001, B1, 443, 1))
            .then(T - 100, 1, Packets.tcp(B1, 443, C, 50001, SYN | ACK, 9))
            .then(T - 50, 0, Packets.tcp(C, 50002, B1, 443, ACK | PSH, 2)) // open before capture
            .then(T - 40, 0, Packets.tcp(C, 50003, B1, 443, ACK, 3)) // closed before the lookup
            .then(T - 39, 0, Packets.tcp(C, 50003, B1, 443, FIN | ACK, 3))
            .then(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)))
            .then(T + 2, 0, Packets.tcp(B1, 443, C, 50001, ACK | PSH, 10)) // backend side sends
            .then(T + 2, 1, Packets.tcp(C, 50002, B1, 443, ACK, 2))
            .then(T + 3, 0, Packets.tcp(C, 50003, B1, 443, ACK, 3)) // trailing ACK: no new stream
            .then(T + 4, 0, Packets.tcp(B2, 8443, C, 50009, RST, 0)); // only a RST after DNS
    assertThat(
        run(c, ConnBal.analyze().withAllStreams(true)).tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 2, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
    assertThat(
        run(c, ConnBal.analyze()).tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  @Test
  void allStreamsTracksClosesAndReopens() throws IOException {
    Capture c =
        lookup()
            .then(T + 2, 0, syn(C, 50001, B1, 443, 1))
            .then(T + 2, 1, Packets.tcp(B1, 443, C, 50001, SYN | ACK, 7))
            .then(T + 2, 2, Packets.tcp(C, 50001, B1, 443, FIN | ACK, 2))
            .then(T + 2, 3, Packets.tcp(B1, 443, C, 50001, FIN | ACK, 8))
            .then(T + 2, 4, Packets.tcp(C, 50001, B1, 443, ACK, 3)) // trailing ACK
            .then(T + 3, 0, syn(C, 50001, B1, 443, 100)) // port reuse: new connection
            .then(T + 3, 1, Packets.tcp(C, 50001, B1, 443, RST, 101))
            .then(T + 4, 0, syn(C, 50001, B1, 443, 200)) // new SYN after the RST
            .then(T + 4, 1, syn(C, 50001, B1, 443, 300)); // decision: new ISN while open = new
    assertThat(
        run(c, ConnBal.analyze().withAllStreams(true)).tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 4, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  // ---------------------------------------------------------------- output

  @Test
  void plainIpFormatPrintsDottedDecimal() throws IOException {
    Capture c = lookup().then(T + 2, 0, syn(C, 50001, B1, 443, 1));
    assertThat(
        run(c, ConnBal.analyze(), IpFormat.PLAIN).tsv(),
        equalTo(
            line("10.0.0.1", "192.168.1.1:443", 1, 1, "www.example.com.")
                + line("10.0.0.1", "192.168.1.2:?", 0, 1, "www.example.com.")));
  }

  @Test
  void backendWithoutPortOrConnectionPrintsUnknownPort() throws IOException {
    assertThat(
        tsv(lookup()),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  @Test
  // split("\n") drops the TSV's trailing empty line, which the field count must not see.
  @SuppressWarnings("StringSplitter")
  void hostileNamesCannotBreakTheTsv() throws IOException {
    byte[][] labels = {
      "tab\there".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
      "new\nline".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
      "dot.inside".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
      "back\\slash".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
      {(byte) 0xC3, (byte) 0xA9, (byte) 0xFF, ' '},
      "\t9\t9\tforged\n010.000.000.009\t001.002.003.004:80\t1"
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)
    };
    RawDns query = RawDns.header(7, RawDns.FLAGS_QUERY, 1, 0, 0, 0);
    RawDns response = RawDns.header(7, RawDns.FLAGS_RESPONSE, 1, 2, 0, 0);
    for (byte[] label : labels) {
      query.label(label);
      response.label(label);
    }
    query.label("example").root().u16(TYPE_A).u16(1);
    response.label("example").root().u16(TYPE_A).u16(1);
    response.pointer(12).u16(TYPE_A).u16(1).u32(60).u16(4).bytes(192, 168, 1, 1);
    response.pointer(12).u16(TYPE_A).u16(1).u32(60).u16(4).bytes(192, 168, 1, 2);
    Capture c =
        Capture.at(T, 0, Packets.udpFrame(C, CPORT, NS, 53, query.build()))
            .then(T, 1, Packets.udpFrame(NS, 53, C, CPORT, response.build()));
    String name =
        "tab\\009here.new\\010line.dot\\.inside.back\\\\slash.\\195\\169\\255\\032."
            + "\\0099\\0099\\009forged\\010010\\.000\\.000\\.009\\009001\\.002\\.003\\.004:80\\0091.example.";
    String tsv = tsv(c);
    assertThat(
        tsv,
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, name)
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, name)));
    for (String l : tsv.split("\n")) {
      assertThat(l.split("\t", -1).length, is(5));
    }
  }

  @Test
  void linesSortNumericallyByClientBackendPort() throws IOException {
    String c9 = "9.0.0.1";
    String high = "200.1.1.1";
    String low = "20.1.1.1";
    Capture c =
        Capture.at(T, 0, Packets.dnsQuery(high, CPORT, NS, 1, "s.example.com", TYPE_A))
            .then(
                T,
                1,
                Packets.dnsResponse(
                    high,
                    CPORT,
                    NS,
                    1,
                    "s.example.com",
                    TYPE_A,
                    a("s.example.com", high),
                    a("s.example.com", low)))
            .then(T, 2, Packets.dnsQuery(c9, CPORT, NS, 1, "s.example.com", TYPE_A))
            .then(
                T,
                3,
                Packets.dnsResponse(
                    c9,
                    CPORT,
                    NS,
                    1,
                    "s.example.com",
                    TYPE_A,
                    a("s.example.com", high),
                    a("s.example.com", low)))
            .then(T + 1, 0, syn(c9, 50001, low, 8080, 1))
            .then(T + 1, 1, syn(c9, 50002, low, 443, 1))
            .then(T + 1, 2, syn(c9, 50003, low, 80, 1));
    assertThat(
        tsv(c),
        equalTo(
            line("009.000.000.001", "020.001.001.001:80", 1, 1, "s.example.com.")
                + line("009.000.000.001", "020.001.001.001:443", 1, 1, "s.example.com.")
                + line("009.000.000.001", "020.001.001.001:8080", 1, 1, "s.example.com.")
                + line("009.000.000.001", "200.001.001.001:?", 0, 1, "s.example.com.")
                + line("200.001.001.001", "020.001.001.001:?", 0, 1, "s.example.com.")
                + line("200.001.001.001", "200.001.001.001:?", 0, 1, "s.example.com.")));
  }

  @Test
  void noBackendsGiveAnEmptyDocument() throws IOException {
    ConnBalRun.Output out = run(Capture.at(T, 0, syn(C, 50001, B1, 443, 1)), ConnBal.analyze());
    assertThat(out.tsv(), equalTo(""));
    assertThat(out.report().packets(), is(1L));
  }

  // ---------------------------------------------------------------- decisions (docs/DECISIONS.md)

  @Test
  void qrBitDecidesQueryOrResponse() throws IOException {
    // Server-to-server traffic has port 53 on both sides: the QR bit tells query from response.
    byte[] responseToPort53 =
        Packets.udpFrame(
            C,
            53,
            NS,
            53,
            Packets.dnsResponseMessage(
                5, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B3)));
    byte[] answerToIt =
        Packets.udpFrame(
            NS,
            53,
            C,
            53,
            Packets.dnsResponseMessage(
                5, "www.example.com", TYPE_A, a("www.example.com", B1), a("www.example.com", B3)));
    Capture c =
        Capture.at(T, 0, responseToPort53) // QR=1: not a query (and a response nobody asked for)
            .then(T, 1, answerToIt) // so this matches nothing either
            .then(
                T,
                2,
                Packets.udpFrame(
                    C, 53, NS, 53, Packets.dnsQueryMessage(6, "www.example.com", TYPE_A)))
            .then(
                T,
                3,
                Packets.udpFrame(
                    NS,
                    53,
                    C,
                    53,
                    Packets.dnsResponseMessage(
                        6,
                        "www.example.com",
                        TYPE_A,
                        a("www.example.com", B1),
                        a("www.example.com", B2))));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().responsesWithoutQuery(), is(2L));
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "192.168.001.002:?", 0, 1, "www.example.com.")));
  }

  @Test
  void srvInAdditionalSectionTeachesNothing() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T,
                1,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    List.of(a("www.example.com", B1)),
                    List.of(),
                    List.of(
                        srv("_h._tcp.example.com", "t.example.com", 80), a("t.example.com", B2))));
    assertThat(tsv(c), equalTo(""));
  }

  @Test
  void recordsOfOtherClassesAreIgnored() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T,
                1,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2).withClass(3)));
    // Two records in the answer section, but only the class IN one is a backend.
    assertThat(
        tsv(c), equalTo(line("010.000.000.001", "192.168.001.001:?", 0, 1, "www.example.com.")));
  }

  @Test
  void responsesWithoutAnswersAreNotEvents() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T, 1, r(C, 1, "www.example.com", TYPE_A)) // no answers: neither matched nor counted
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    a("www.example.com", B1),
                    a("www.example.com", B2)));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().responsesWithoutQuery(), is(0L));
    assertThat(out.tsv().lines().count(), is(2L));
  }

  // ---------------------------------------------------------------- report

  @Test
  void readErrorsAreReportedWithTheirBytes() throws IOException {
    Path in = dir("in");
    lookup().writeTo(in.resolve("good.snoop"));
    byte[] good = lookup().then(T + 2, 0, syn(C, 50001, B1, 443, 1)).toBytes();
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 10);
    Files.write(in.resolve("cut.snoop"), cut);
    Files.write(
        in.resolve("junk.snoop"),
        "this is not a snoop file at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ConnBalRun.Output out = runDir(in, ConnBal.analyze());
    RunReport report = out.report();
    assertThat(report.filesWithErrors(), is(2L));
    assertThat(report.truncatedRecords(), is(1L));
    long syn = syn(C, 50001, B1, 443, 1).length;
    assertThat(
        report.truncatedBytes(),
        is(dev.connbal.snoop.SnoopWriter.paddedRecordLength((int) syn) - 10L));
    assertThat(report.packets(), is(4L));
    assertThat(out.readErrors().size(), is(2));
    // Read errors are counted once, in SnoopIO's metrics, not again in the analysis' own.
    assertThat(out.counters(SnoopIO.METRICS_NAMESPACE).get("truncatedRecords"), is(1L));
    assertThat(out.counters(SnoopIO.METRICS_NAMESPACE).get("filesWithErrors"), is(2L));
    for (String name :
        List.of("corruptRegions", "corruptBytes", "truncatedRecords", "truncatedBytes")) {
      assertThat(out.connbalCounters(), not(hasKey(name)));
    }
  }

  // ---------------------------------------------------------------- IPv6 and AAAA

  static byte[] q6(String client, int id, String name, int qtype) {
    return Packets.dnsQuery(client, CPORT, NS6, id, name, qtype);
  }

  static byte[] r6(String client, int id, String name, int qtype, Packets.Rr... answers) {
    return Packets.dnsResponse(client, CPORT, NS6, id, name, qtype, answers);
  }

  /** C6 resolving www.example.com. over IPv6 to B6_1 and B6_2 (AAAA) at T+1. */
  static Capture lookup6() {
    return Capture.at(T, 0, q6(C6, 1, "www.example.com", TYPE_AAAA))
        .then(
            T + 1,
            0,
            r6(
                C6,
                1,
                "www.example.com",
                TYPE_AAAA,
                Packets.aaaa("www.example.com", B6_1),
                Packets.aaaa("www.example.com", B6_2)));
  }

  /**
   * An IPv4 client's AAAA lookup: two AAAA records make two backends (never connected to from its
   * IPv4 address); a single AAAA record, like a single A record, makes none.
   */
  @Test
  void aaaaMultiRecordAnswerMakesBackends() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_AAAA))
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_AAAA,
                    Packets.aaaa("www.example.com", B6_2),
                    Packets.aaaa("www.example.com", B6_1)))
            .then(T + 2, 0, q(C, 2, "one.example.com", TYPE_AAAA))
            .then(
                T + 2,
                1,
                r(C, 2, "one.example.com", TYPE_AAAA, Packets.aaaa("one.example.com", B6_1)));
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().responsesWithoutQuery(), is(0L));
    assertThat(
        out.tsv(),
        equalTo(
            line("010.000.000.001", "[" + B6_1_PADDED + "]:?", 0, 1, "www.example.com.")
                + line("010.000.000.001", "[" + B6_2_PADDED + "]:?", 0, 1, "www.example.com.")));
  }

  /**
   * An IPv6 client over UDP: its SYN before the answer does not count; after it, the SYN and its
   * retransmission (same ISN) 3 s later are one attempt, the same SYN 120 s after the first is
   * another. Padded, then plain (RFC 5952), the backend in brackets.
   */
  @Test
  void ipv6ClientOverUdpWithItsSynsAndRetransmits() throws IOException {
    Capture c =
        lookup6()
            .then(T, 500_000, syn(C6, 50000, B6_1, 443, 50)) // before the answer
            .then(T + 2, 0, syn(C6, 50001, B6_1, 443, 100))
            .then(T + 5, 0, syn(C6, 50001, B6_1, 443, 100)) // retransmits: same attempt
            .then(T + 122, 0, syn(C6, 50001, B6_1, 443, 100)); // 120 s later: another
    assertThat(
        tsv(c),
        equalTo(
            line(C6_PADDED, "[" + B6_1_PADDED + "]:443", 2, 1, "www.example.com.")
                + line(C6_PADDED, "[" + B6_2_PADDED + "]:?", 0, 1, "www.example.com.")));
    assertThat(
        run(c, ConnBal.analyze(), IpFormat.PLAIN).tsv(),
        equalTo(
            line("2001:db8::c1", "[2001:db8:1::1]:443", 2, 1, "www.example.com.")
                + line("2001:db8::c1", "[2001:db8:1::2]:?", 0, 1, "www.example.com.")));
  }

  /**
   * Hop-by-hop and destination options before TCP are walked to the SYN; a non-first fragment is
   * skipped and counted; an extension header cut short is a malformed frame.
   */
  @Test
  void ipv6ExtensionHeadersAreWalkedAndBrokenOnesCounted() throws IOException {
    byte[] synBehindOptions =
        Packets.ipv6Frame(
            C6,
            B6_1,
            0, // hop-by-hop
            Packets.concat(
                Packets.extensionHeader(60, 0), // destination options
                Packets.extensionHeader(6, 1), // then TCP
                Packets.bytes(Packets.tcpBuilder(C6, 50001, B6_1, 443, SYN, 100))));
    byte[] laterFragment =
        Packets.ipv6Frame(
            C6,
            B6_2,
            44,
            Packets.concat(
                Packets.fragmentHeader(6, 185, false),
                Packets.bytes(Packets.tcpBuilder(C6, 50002, B6_2, 443, SYN, 200))));
    byte[] cutOptions =
        Packets.ipv6Frame(C6, B6_2, 60, java.util.Arrays.copyOf(Packets.extensionHeader(6, 1), 8));
    Capture c =
        lookup6()
            .then(T + 2, 0, synBehindOptions)
            .then(T + 2, 1, laterFragment)
            .then(T + 2, 2, cutOptions);
    ConnBalRun.Output out = run(c, ConnBal.analyze());
    assertThat(out.report().fragmentsSkipped(), is(1L));
    assertThat(out.report().malformedFrames(), is(1L));
    assertThat(out.report().packets(), is(5L));
    assertThat(
        out.tsv(),
        equalTo(
            line(C6_PADDED, "[" + B6_1_PADDED + "]:443", 1, 1, "www.example.com.")
                + line(C6_PADDED, "[" + B6_2_PADDED + "]:?", 0, 1, "www.example.com.")));
  }

  /**
   * An SRV target answered in the additional section by an AAAA and an A record: both addresses are
   * backends of the service on the target's port; an IPv4 backend of the IPv6 client sorts first.
   */
  @Test
  void srvTargetAnsweredByAaaaInTheAdditionalSection() throws IOException {
    Capture c =
        Capture.at(T, 0, q6(C6, 4, "_sip._tcp.example.com", TYPE_SRV))
            .then(
                T + 1,
                0,
                Packets.dnsResponse(
                    C6,
                    CPORT,
                    NS6,
                    4,
                    "_sip._tcp.example.com",
                    TYPE_SRV,
                    List.of(srv("_sip._tcp.example.com", "sip.example.com", 5060)),
                    List.of(),
                    List.of(Packets.aaaa("sip.example.com", B6_1), a("sip.example.com", B1))))
            .then(T + 2, 0, syn(C6, 50001, B6_1, 5060, 1));
    assertThat(
        tsv(c),
        equalTo(
            line(C6_PADDED, "192.168.001.001:5060", 0, 1, "_sip._tcp.example.com.")
                + line(C6_PADDED, "[" + B6_1_PADDED + "]:5060", 1, 1, "_sip._tcp.example.com.")));
  }

  /** One A and one AAAA record are two records of the answer: a multi-backend answer. */
  @Test
  void mixedAAndAaaaInOneAnswerCountTogether() throws IOException {
    Capture c =
        Capture.at(T, 0, q(C, 1, "www.example.com", TYPE_A))
            .then(
                T + 1,
                0,
                r(
                    C,
                    1,
                    "www.example.com",
                    TYPE_A,
                    Packets.aaaa("www.example.com", B6_1),
                    a("www.example.com", B1)))
            .then(T + 2, 0, syn(C, 50001, B1, 443, 1));
    assertThat(
        tsv(c),
        equalTo(
            line("010.000.000.001", "192.168.001.001:443", 1, 1, "www.example.com.")
                + line("010.000.000.001", "[" + B6_1_PADDED + "]:?", 0, 1, "www.example.com.")));
  }

  /** A DNS exchange over TCP between IPv6 addresses, its answer in two segments. */
  @Test
  void dnsOverTcpOnIpv6() throws IOException {
    byte[] query = Packets.tcpDnsStream(Packets.dnsQueryMessage(7, "www.example.com", TYPE_AAAA));
    byte[] answer =
        Packets.tcpDnsStream(
            Packets.dnsResponseMessage(
                7,
                "www.example.com",
                TYPE_AAAA,
                Packets.aaaa("www.example.com", B6_1),
                Packets.aaaa("www.example.com", B6_2)));
    int half = answer.length / 2;
    Capture c =
        Capture.at(T, 0, Packets.tcp(C6, 40001, NS6, 53, SYN, 1000))
            .then(T, 100, Packets.tcp(NS6, 53, C6, 40001, SYN | ACK, 5000))
            .then(T, 200, Packets.tcpData(C6, 40001, NS6, 53, 1001, query))
            .then(
                T,
                300,
                Packets.tcpData(
                    NS6, 53, C6, 40001, 5001, java.util.Arrays.copyOfRange(answer, 0, half)))
            .then(T, 350, syn(C6, 50000, B6_2, 443, 1)) // before the answer is complete
            .then(
                T,
                400,
                Packets.tcpData(
                    NS6,
                    53,
                    C6,
                    40001,
                    5001 + half,
                    java.util.Arrays.copyOfRange(answer, half, answer.length)))
            .then(T, 500, syn(C6, 50001, B6_2, 443, 2));
    assertThat(
        tsv(c),
        equalTo(
            line(C6_PADDED, "[" + B6_1_PADDED + "]:?", 0, 1, "www.example.com.")
                + line(C6_PADDED, "[" + B6_2_PADDED + "]:443", 1, 1, "www.example.com.")));
  }

  /**
   * Clients and backends of both families: IPv4 before IPv6 in both columns, each family numeric
   * (2001:db8::2 before 2001:db8::10, whose text sorts first).
   */
  @Test
  void linesSortIpv4BeforeIpv6NumericallyByFamily() throws IOException {
    String c10 = "2001:db8::10";
    String c2 = "2001:db8::2";
    Capture c = Capture.at(T, 0, q6(c10, 1, "s.example.com", TYPE_A));
    int k = 1;
    for (String client : List.of(c10, c2, C)) {
      boolean v6 = client.contains(":");
      if (!client.equals(c10)) {
        c =
            c.then(
                T,
                k++,
                v6
                    ? q6(client, 1, "s.example.com", TYPE_A)
                    : q(client, 1, "s.example.com", TYPE_A));
      }
      Packets.Rr[] answers = {
        Packets.aaaa("s.example.com", B6_2),
        a("s.example.com", B2),
        Packets.aaaa("s.example.com", B6_1),
        a("s.example.com", B1)
      };
      c =
          c.then(
              T,
              k++,
              v6
                  ? r6(client, 1, "s.example.com", TYPE_A, answers)
                  : r(client, 1, "s.example.com", TYPE_A, answers));
    }
    String pad10 = "2001:0db8:0000:0000:0000:0000:0000:0010";
    String pad2 = "2001:0db8:0000:0000:0000:0000:0000:0002";
    StringBuilder expected = new StringBuilder();
    for (String client : List.of("010.000.000.001", pad2, pad10)) {
      expected
          .append(line(client, "192.168.001.001:?", 0, 1, "s.example.com."))
          .append(line(client, "192.168.001.002:?", 0, 1, "s.example.com."))
          .append(line(client, "[" + B6_1_PADDED + "]:?", 0, 1, "s.example.com."))
          .append(line(client, "[" + B6_2_PADDED + "]:?", 0, 1, "s.example.com."));
    }
    assertThat(tsv(c), equalTo(expected.toString()));
  }
}
