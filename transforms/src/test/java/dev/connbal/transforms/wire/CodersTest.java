package dev.connbal.transforms.wire;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.count.BackendPort;
import dev.connbal.transforms.decode.DnsName;
import dev.connbal.transforms.decode.DnsNameCoder;
import dev.connbal.transforms.decode.TcpFlags;
import dev.connbal.transforms.events.DnsEvent;
import dev.connbal.transforms.events.DnsEventRecord;
import dev.connbal.transforms.events.DnsNameTable;
import dev.connbal.transforms.events.DnsPartial;
import dev.connbal.transforms.events.OrderKey;
import dev.connbal.transforms.events.QueryKey;
import dev.connbal.transforms.events.StreamFragment;
import dev.connbal.transforms.events.SynBatch;
import dev.connbal.transforms.keys.ClientBackend;
import dev.connbal.transforms.keys.FourTuple;
import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.keys.Shards;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.tcpdns.TcpDnsSegment;
import dev.connbal.transforms.timeline.BackendFacts;
import dev.connbal.transforms.timeline.BackendTable;
import dev.connbal.transforms.timeline.SrvKnowledge;
import dev.connbal.transforms.timeline.SrvPreference;
import dev.connbal.transforms.timeline.SrvPriorityWeight;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.VarInt;
import org.junit.jupiter.api.Test;

/**
 * Every value coder of the engine round-trips its values and is deterministic: two equal values
 * built separately (other instances, and maps, sets and lists filled in other orders where the
 * value is made from one) encode to the same bytes, as a shuffle key or a combined value needs.
 */
class CodersTest {
  private static final IpAddress IP = IpAddress.ofV4(0xC0A80101); // 192.168.1.1
  private static final IpAddress V4_LAST = IpAddress.ofV4(-1); // 255.255.255.255
  private static final IpAddress V6 = IpAddress.parse("2001:db8::1");
  private static final IpAddress V6_LAST = IpAddress.of(-1L, -1L); // ffff:...:ffff
  private static final IpAddress V4_2 = IpAddress.ofV4(2);
  private static final String FILE = "file:///a b/ü.snoop";
  private static final OrderKey KEY = new OrderKey(1_700_000_000_123_456L, FILE, 4096);

  /**
   * {@code value} round-trips, and {@code equalValue}, an equal value built separately, encodes to
   * the same bytes.
   */
  private static <T> void roundTripsAndIsDeterministic(Coder<T> coder, T value, T equalValue)
      throws CoderException {
    assertNotSame(value, equalValue);
    assertThat(equalValue, equalTo(value));
    byte[] bytes = CoderUtils.encodeToByteArray(coder, value);
    assertThat(CoderUtils.decodeFromByteArray(coder, bytes), equalTo(value));
    assertThat(CoderUtils.encodeToByteArray(coder, equalValue), equalTo(bytes));
    assertDoesNotThrow(() -> coder.verifyDeterministic());
  }

  @Test
  void orderKey() throws CoderException {
    roundTripsAndIsDeterministic(
        OrderKeyCoder.of(),
        KEY,
        new OrderKey(KEY.timestampMicros(), new String(FILE.toCharArray()), KEY.recordOffset()));
  }

  /** A response, a query before it, and a query at its time earlier in the file, in that order. */
  private static List<DnsEvent> threeEvents() {
    QueryKey q =
        new QueryKey(
            V6,
            65535,
            IpAddress.ofV4(0x0A000035),
            0xFFFF,
            DnsName.fromPresentation("a\\009b.example."));
    DnsEvent response =
        DnsEvent.response(
            KEY,
            q,
            5,
            List.of(
                DnsEventRecord.address(DnsEventRecord.Section.ANSWER, q.name(), IP),
                DnsEventRecord.srv(q.name(), DnsName.fromPresentation("t.example."), 443, 0, 60),
                DnsEventRecord.srv(
                    q.name(), DnsName.fromPresentation("u.example."), 443, 65535, 65535),
                DnsEventRecord.cname(q.name(), DnsName.fromPresentation("c.example.")),
                DnsEventRecord.address(DnsEventRecord.Section.ADDITIONAL, q.name(), V6_LAST)));
    DnsEvent earlierQuery =
        DnsEvent.query(new OrderKey(KEY.timestampMicros() - 1, KEY.file(), 8192), q);
    DnsEvent sameTimeEarlierInFile =
        DnsEvent.query(new OrderKey(KEY.timestampMicros(), KEY.file(), 16), q);
    return List.of(response, earlierQuery, sameTimeEarlierInFile);
  }

  @Test
  void dnsPartialsHoldTheirEventsInTimelineOrder() throws CoderException {
    List<DnsEvent> events = threeEvents();
    DnsPartial partial =
        DnsPartial.of(events, RunReport.builder().setPackets(7).setDnsMalformed(1).build());
    // The same events, made anew and given in another order, and the same report.
    List<DnsEvent> reordered = new ArrayList<>(threeEvents());
    Collections.reverse(reordered);
    DnsPartial samePartial =
        DnsPartial.of(reordered, RunReport.builder().setDnsMalformed(1).setPackets(7).build());
    roundTripsAndIsDeterministic(DnsPartialCoder.of(), partial, samePartial);
    roundTripsAndIsDeterministic(
        DnsPartialCoder.of(),
        DnsPartial.of(List.of(), RunReport.empty()),
        DnsPartial.of(new ArrayList<>(), RunReport.builder().build()));
    List<DnsEvent> decoded = new ArrayList<>();
    partial.events(new DnsNameTable.Interner()).forEachRemaining(decoded::add);
    assertThat(decoded, equalTo(List.of(events.get(1), events.get(2), events.get(0))));
  }

  @Test
  void dnsPartialsKeepEachSpellingAndShareNameInstancesAcrossPartials() {
    DnsName lower = DnsName.fromPresentation("svc.example.");
    DnsName upper = DnsName.fromPresentation("SVC.Example.");
    OrderKey later = new OrderKey(KEY.timestampMicros() + 1, KEY.file(), 1);
    DnsPartial first =
        DnsPartial.of(
            List.of(
                DnsEvent.query(KEY, new QueryKey(IP, 1, V4_2, 3, lower)),
                DnsEvent.query(later, new QueryKey(IP, 1, V4_2, 4, upper))),
            RunReport.empty());
    DnsPartial second =
        DnsPartial.of(
            List.of(DnsEvent.query(KEY, new QueryKey(IP, 5, V4_2, 3, lower))), RunReport.empty());
    DnsNameTable.Interner names = new DnsNameTable.Interner();
    List<DnsEvent> fromFirst = new ArrayList<>();
    first.events(names).forEachRemaining(fromFirst::add);
    List<DnsEvent> fromSecond = new ArrayList<>();
    second.events(names).forEachRemaining(fromSecond::add);
    assertThat(fromFirst.get(0).query().name().presentation(), equalTo("svc.example."));
    assertThat(fromFirst.get(1).query().name().presentation(), equalTo("SVC.Example."));
    assertSame(fromFirst.get(0).query().name(), fromSecond.get(0).query().name());
  }

  /** A batch of four SYNs, made anew at every call. */
  private static SynBatch fourSyns() {
    SynBatch.Collector collector = new SynBatch.Collector();
    IpAddress server = IpAddress.ofV4(0x0A000001);
    add(collector, IP, server, 443, 65535, 0xFFFFFFFFL, 1_700_000_000_123_456L);
    add(collector, IP, server, 443, 0, 0, 1_700_000_000_000_000L);
    // the highest port and client IP; times before the SYN before, and before the epoch
    add(collector, V4_LAST, IP, 65535, 40000, 12345, -5);
    add(collector, V4_LAST, IP, 65535, 40000, 12345, 0);
    List<SynBatch> batches = new ArrayList<>();
    collector.drainTo(new Shards(1), kv -> batches.add(kv.getValue()));
    return batches.get(0);
  }

  /** The batch of {@link #fourSyns}, with an IPv6 SYN after the first: four longs a pair. */
  private static SynBatch fiveSynsWithIpv6() {
    SynBatch.Collector collector = new SynBatch.Collector();
    IpAddress server = IpAddress.ofV4(0x0A000001);
    add(collector, IP, server, 443, 65535, 0xFFFFFFFFL, 1_700_000_000_123_456L);
    add(collector, V6, V6_LAST, 443, 1, 2, 3);
    add(collector, IP, server, 443, 0, 0, 1_700_000_000_000_000L);
    add(collector, V4_LAST, IP, 65535, 40000, 12345, -5);
    add(collector, V4_LAST, IP, 65535, 40000, 12345, 0);
    List<SynBatch> batches = new ArrayList<>();
    collector.drainTo(new Shards(1), kv -> batches.add(kv.getValue()));
    return batches.get(0);
  }

  private static void add(
      SynBatch.Collector c,
      IpAddress client,
      IpAddress server,
      int port,
      int clientPort,
      long isn,
      long time) {
    c.add(client.high(), client.low(), server.high(), server.low(), port, clientPort, isn, time);
  }

  @Test
  void synBatchesKeepEverySynInOrder() throws CoderException {
    roundTripsAndIsDeterministic(
        SynBatchCoder.of(),
        SynBatch.ofV4(new long[0], new long[0], new long[0]),
        SynBatch.ofV4(new long[0], new long[0], new long[0]));
    assertThat(fourSyns().size(), equalTo(4));
    assertThat(fourSyns().isV4(), equalTo(true));
    roundTripsAndIsDeterministic(SynBatchCoder.of(), fourSyns(), fourSyns());
    SynBatch wide = fiveSynsWithIpv6();
    assertThat(wide.isV4(), equalTo(false));
    assertThat(wide.client(1), equalTo(V6));
    assertThat(wide.server(1), equalTo(V6_LAST));
    assertThat(wide.client(3), equalTo(V4_LAST));
    assertThat(wide.server(3), equalTo(IP));
    roundTripsAndIsDeterministic(SynBatchCoder.of(), wide, fiveSynsWithIpv6());
  }

  /** The layout, by hand: block length, SYN count, then pair, port and attempt, time. */
  @Test
  void synBatchBytesAreTheBlockOfFixedWidthFields() throws CoderException {
    SynBatch one =
        SynBatch.ofV4(
            new long[] {0x0A00000100000002L}, new long[] {0x01BB_9C40_0000_0005L}, new long[] {-2});
    byte[] expected = {
      25,
      2, // block of 25 bytes, 1 SYN (twice the count, the low bit 0: all IPv4)
      0x0A,
      0,
      0,
      1,
      0,
      0,
      0,
      2, // client 10.0.0.1, server 0.0.0.2
      0x01,
      (byte) 0xBB,
      (byte) 0x9C,
      0x40,
      0,
      0,
      0,
      5, // port 443, client port 40000, ISN 5
      -1,
      -1,
      -1,
      -1,
      -1,
      -1,
      -1,
      -2 // time -2 µs
    };
    assertThat(CoderUtils.encodeToByteArray(SynBatchCoder.of(), one), equalTo(expected));
    assertThat(CoderUtils.decodeFromByteArray(SynBatchCoder.of(), expected), equalTo(one));
  }

  /** A map of {@code keys} to {@code values}, filled in the order given. */
  private static <K, V> Map<K, V> inOrder(List<K> keys, List<V> values) {
    Map<K, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      map.put(keys.get(i), values.get(i));
    }
    return map;
  }

  @Test
  void backendFacts() throws CoderException {
    roundTripsAndIsDeterministic(
        BackendFactsCoder.of(),
        new BackendFacts(
            IP,
            V6_LAST,
            5,
            DnsName.fromPresentation("_s._tcp.x."),
            7,
            new TreeMap<>(inOrder(List.of(80, 65535), List.of(3L, 1L))),
            new TreeMap<>(
                inOrder(
                    List.of(80, 65535),
                    List.of(new SrvPriorityWeight(0, 65535), new SrvPriorityWeight(65535, 0))))),
        new BackendFacts(
            IP,
            V6_LAST,
            5,
            DnsName.fromPresentation("_s._tcp.x."),
            7,
            new TreeMap<>(inOrder(List.of(65535, 80), List.of(1L, 3L))),
            new TreeMap<>(
                inOrder(
                    List.of(65535, 80),
                    List.of(new SrvPriorityWeight(65535, 0), new SrvPriorityWeight(0, 65535))))));
    roundTripsAndIsDeterministic(
        BackendFactsCoder.of(),
        new BackendFacts(
            IP, V4_2, 5, DnsName.fromPresentation("web.x."), 2, new TreeMap<>(), new TreeMap<>()),
        new BackendFacts(
            IP, V4_2, 5, DnsName.fromPresentation("web.x."), 2, new TreeMap<>(), new TreeMap<>()));
  }

  @Test
  void backendFactsWithAPriorityOutOfRangeFailToDecode() throws CoderException {
    BackendFacts facts =
        new BackendFacts(
            IpAddress.ofV4(1),
            V4_2,
            3,
            DnsName.fromPresentation("_s._tcp.x."),
            1,
            new TreeMap<>(Map.of(80, 1L)),
            new TreeMap<>(Map.of(80, new SrvPriorityWeight(65535, 7))));
    byte[] bytes = CoderUtils.encodeToByteArray(BackendFactsCoder.of(), facts);
    // The priority is the varint ff ff 03 before the last byte (the weight 7): make it 2^17 - 1.
    assertThat(bytes[bytes.length - 2], equalTo((byte) 0x03));
    bytes[bytes.length - 2] = 0x07;
    byte[] tooLarge = bytes;
    assertThrows(
        CoderException.class,
        () -> CoderUtils.decodeFromByteArray(BackendFactsCoder.of(), tooLarge));
  }

  @Test
  void keys() throws CoderException {
    roundTripsAndIsDeterministic(
        BackendPortCoder.of(), new BackendPort(IP, V6, 0), new BackendPort(IP, V6, 0));
    roundTripsAndIsDeterministic(
        ClientBackendCoder.of(), ClientBackend.of(V6, IP), ClientBackend.of(V6, IP));
    IpAddress other = IpAddress.ofV4(0x0A000001);
    roundTripsAndIsDeterministic(
        FourTupleCoder.of(), FourTuple.of(IP, 1, other, 2), FourTuple.of(other, 2, IP, 1));
    roundTripsAndIsDeterministic(
        FourTupleCoder.of(), FourTuple.of(V6, 1, V6_LAST, 2), FourTuple.of(V6_LAST, 2, V6, 1));
  }

  @Test
  void backendTable() throws CoderException {
    roundTripsAndIsDeterministic(
        BackendTableCoder.of(), BackendTable.of(Map.of()), BackendTable.of(new HashMap<>()));
    List<ClientBackend> pairs = new ArrayList<>();
    List<Long> firstSeen = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      pairs.add(
          ClientBackend.of(
              IpAddress.ofV4(IP.v4() + i),
              i % 2 == 0 ? IpAddress.ofV4(-1 - i) : IpAddress.of(-1L, -1L - i)));
      firstSeen.add(5L * i);
    }
    BackendTable table = BackendTable.of(inOrder(pairs, firstSeen));
    Collections.reverse(pairs);
    Collections.reverse(firstSeen);
    roundTripsAndIsDeterministic(
        BackendTableCoder.of(), table, BackendTable.of(inOrder(pairs, firstSeen)));
    assertThat(
        table.firstSeenOrAbsent(
            ClientBackend.of(IpAddress.ofV4(IP.v4() + 1), IpAddress.of(-1L, -2L))),
        equalTo(5L));
    assertThat(
        table.firstSeenOrAbsent(ClientBackend.of(V4_LAST, IP)), equalTo(BackendTable.ABSENT));
  }

  @Test
  void srvKnowledgeIsEncodedAlikeWhateverTheOrderItWasLearntIn() throws CoderException {
    roundTripsAndIsDeterministic(SrvKnowledgeCoder.of(), new SrvKnowledge(), new SrvKnowledge());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      order.add(i);
    }
    SrvKnowledge forwards = learnTargets(order);
    Collections.reverse(order);
    SrvKnowledge backwards = learnTargets(order);
    // The targets' map iterates in another order, which the coder must not follow.
    assertThat(
        List.copyOf(backwards.targets().keySet()),
        not(equalTo(List.copyOf(forwards.targets().keySet()))));
    roundTripsAndIsDeterministic(SrvKnowledgeCoder.of(), forwards, backwards);
  }

  /** Knowledge of targets t0 to t39 of one service, learnt in the order of {@code targets}. */
  private static SrvKnowledge learnTargets(List<Integer> targets) {
    DnsName service = DnsName.fromPresentation("_http._tcp.example.org.");
    SrvKnowledge k = new SrvKnowledge();
    for (int t : targets) {
      k.learn(
          new SrvKnowledge.Position(new OrderKey(1_000_000 + t, "a.snoop", 24L * t), 0),
          service,
          DnsName.fromPresentation("t" + t + ".example.org."),
          8000 + t,
          10,
          5);
    }
    return k;
  }

  @Test
  void srvKnowledgeKeepsEachTargetsFirstLearningsServiceAndDecidingRecords() throws CoderException {
    DnsName service = DnsName.fromPresentation("_http._tcp.Example.org.");
    DnsName other = DnsName.fromPresentation("_alt._tcp.example.org.");
    DnsName target = DnsName.fromPresentation("t1.example.org.");
    SrvKnowledge k = new SrvKnowledge();
    OrderKey later = new OrderKey(2_000_000, "b.snoop", 40);
    OrderKey first = new OrderKey(1_000_000, "a.snoop", 96);
    OrderKey last = new OrderKey(3_000_000, "a.snoop", 8);
    k.learn(new SrvKnowledge.Position(later, 0), other, target, 80, 65535, 0);
    k.learn(new SrvKnowledge.Position(first, 1), service, target, 8443, 20, 5);
    k.learn(new SrvKnowledge.Position(later, 1), other, target, 8443, 10, 65535);
    // A higher priority after a lower one never decides: not kept. The same priority is.
    k.learn(new SrvKnowledge.Position(last, 0), other, target, 8443, 30, 1);
    k.learn(new SrvKnowledge.Position(last, 2), other, target, 8443, 10, 40);
    SrvKnowledge decoded =
        CoderUtils.decodeFromByteArray(
            SrvKnowledgeCoder.of(), CoderUtils.encodeToByteArray(SrvKnowledgeCoder.of(), k));
    assertThat(decoded, equalTo(k));
    assertThat(
        CoderUtils.encodeToByteArray(SrvKnowledgeCoder.of(), decoded),
        equalTo(CoderUtils.encodeToByteArray(SrvKnowledgeCoder.of(), k)));
    SrvKnowledge.Learnt t = decoded.targets().get(target);
    assertThat(t.first(), equalTo(new SrvKnowledge.Position(first, 1)));
    assertThat(t.service().presentation(), equalTo("_http._tcp.Example.org."));
    assertThat(
        t.portFirst(),
        equalTo(
            Map.of(
                80, new SrvKnowledge.Position(later, 0),
                8443, new SrvKnowledge.Position(first, 1))));
    assertThat(
        List.copyOf(t.preferences().get(8443).values()),
        equalTo(
            List.of(
                new SrvPreference(new SrvKnowledge.Position(first, 1), 20, 5),
                new SrvPreference(new SrvKnowledge.Position(later, 1), 10, 65535),
                new SrvPreference(new SrvKnowledge.Position(last, 2), 10, 40))));
    assertThat(
        List.copyOf(t.preferences().get(80).values()),
        equalTo(List.of(new SrvPreference(new SrvKnowledge.Position(later, 0), 65535, 0))));
  }

  @Test
  void srvKnowledgeNamesEachPlacesFileByItsIndexInThePiecesFiles() throws IOException {
    // One file, one target, one port, one record: in file 0 it decodes, in file 1 it cannot.
    SrvKnowledge decoded =
        CoderUtils.decodeFromByteArray(SrvKnowledgeCoder.of(), oneSrvRecordInFile(0));
    assertThat(
        decoded.targets().get(DnsName.fromPresentation("t.example.")).first(),
        equalTo(new SrvKnowledge.Position(new OrderKey(1_000_000, "a.snoop", 24), 3)));
    CoderException e =
        assertThrows(
            CoderException.class,
            () -> CoderUtils.decodeFromByteArray(SrvKnowledgeCoder.of(), oneSrvRecordInFile(1)));
    assertThat(e.getMessage(), equalTo("file 1 of 1 in an SRV record's place"));
  }

  private static byte[] oneSrvRecordInFile(int file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    VarInt.encode(1, out);
    StringUtf8Coder.of().encode("a.snoop", out);
    VarInt.encode(1, out);
    DnsNameCoder.of().encode(DnsName.fromPresentation("t.example."), out);
    DnsNameCoder.of().encode(DnsName.fromPresentation("_svc._tcp.example."), out);
    VarInt.encode(1, out);
    VarInt.encode(443, out);
    VarInt.encode(1, out);
    VarInt.encode(1_000_000L, out);
    VarInt.encode(file, out);
    VarInt.encode(24L, out);
    VarInt.encode(3, out);
    VarInt.encode(10, out);
    VarInt.encode(5, out);
    return out.toByteArray();
  }

  @Test
  void streamFragment() throws CoderException {
    StreamFragment.Builder b = new StreamFragment.Builder(10L, null);
    b.add(KEY, true, TcpFlags.SYN, 0xFFFFFFFFL);
    b.add(new OrderKey(5, "f", 1), false, TcpFlags.ACK, 0);
    b.add(new OrderKey(20, "f", 2), true, TcpFlags.ACK, 0);
    b.add(new OrderKey(30, "f", 3), true, TcpFlags.RST, 0);
    // The same packets in another order, in two bundles merged.
    StreamFragment.Builder later = new StreamFragment.Builder(10L, null);
    later.add(new OrderKey(30, "f", 3), true, TcpFlags.RST, 0);
    later.add(KEY, true, TcpFlags.SYN, 0xFFFFFFFFL);
    StreamFragment.Builder earlier = new StreamFragment.Builder(10L, null);
    earlier.add(new OrderKey(20, "f", 2), true, TcpFlags.ACK, 0);
    earlier.add(new OrderKey(5, "f", 1), false, TcpFlags.ACK, 0);
    roundTripsAndIsDeterministic(
        StreamFragmentCoder.of(), b.build(), StreamFragment.merge(later.build(), earlier.build()));
  }

  @Test
  void report() throws CoderException {
    RunReport reading =
        RunReport.builder()
            .setPackets(1)
            .setFrameBytes(2)
            .setCorruptRegions(3)
            .setCorruptBytes(4)
            .setTruncatedRecords(5)
            .setTruncatedBytes(6)
            .build();
    RunReport decoding =
        RunReport.builder()
            .setFilesWithErrors(7)
            .setDnsMalformed(8)
            .setResponsesWithoutQuery(9)
            .setUnsupportedLinkTypeFrames(10)
            .setNotIpFrames(12)
            .setNoTransportHeaderFrames(13)
            .setMalformedFrames(11)
            .setFragmentsSkipped(Long.MAX_VALUE)
            .setLatePackets(14)
            .setTcpDnsMessagesLost(15)
            .build();
    // Every field set, summed from its two parts in either order.
    roundTripsAndIsDeterministic(
        RunReportCoder.of(), reading.plus(decoding), decoding.plus(reading));
  }

  @Test
  void tcpDnsSegmentRoundTrips() throws Exception {
    roundTripsAndIsDeterministic(
        TcpDnsSegmentCoder.of(),
        new TcpDnsSegment(IP, 53, V4_LAST, 65535, 0x18, 0xFFFFFFFFL, new byte[] {0, 2, 7, 8}, KEY),
        new TcpDnsSegment(IP, 53, V4_LAST, 65535, 0x18, 0xFFFFFFFFL, new byte[] {0, 2, 7, 8}, KEY));
    roundTripsAndIsDeterministic(
        TcpDnsSegmentCoder.of(),
        new TcpDnsSegment(V6, 40000, V6_LAST, 53, 0x02, 0, new byte[0], KEY),
        new TcpDnsSegment(V6, 40000, V6_LAST, 53, 0x02, 0, new byte[0], KEY));
  }

  @Test
  void corruptInputFailsWithAnIoException() {
    byte[] truncated = new byte[] {1, 2, 3};
    assertThrows(
        IOException.class, () -> DnsPartialCoder.of().decode(new ByteArrayInputStream(truncated)));
    assertThrows(
        IOException.class,
        () -> StreamFragmentCoder.of().decode(new ByteArrayInputStream(truncated)));
    // a block of 9 bytes: no low-client time, high-client time 1, one marker at (0, "", 0) from
    // high, kind 9
    byte[] badMarkerKind = {9, 0, 1, 1, 1, 0, 0, 0, 0, 9};
    assertThrows(
        CoderException.class,
        () -> StreamFragmentCoder.of().decode(new ByteArrayInputStream(badMarkerKind)));
    // a block of 12 bytes of which a (client, backend, port) takes 11
    byte[] leftOver = {12, 4, 10, 0, 0, 1, 4, 10, 0, 0, 2, 80, 7};
    assertThrows(
        CoderException.class,
        () -> BackendPortCoder.of().decode(new ByteArrayInputStream(leftOver)));
    // a block of 2 bytes claiming 127 SYNs; one SYN of 23 bytes; one SYN and a byte more
    byte[] hugeCount = {2, 127, 0};
    assertThrows(
        CoderException.class, () -> SynBatchCoder.of().decode(new ByteArrayInputStream(hugeCount)));
    byte[] shortSyn = new byte[25];
    shortSyn[0] = 24;
    shortSyn[1] = 1;
    assertThrows(
        CoderException.class, () -> SynBatchCoder.of().decode(new ByteArrayInputStream(shortSyn)));
    byte[] leftOverByte = new byte[27];
    leftOverByte[0] = 26;
    leftOverByte[1] = 1;
    assertThrows(
        CoderException.class,
        () -> SynBatchCoder.of().decode(new ByteArrayInputStream(leftOverByte)));
    byte[] blockCutShort = {5, 1, 2};
    assertThrows(
        IOException.class,
        () -> SynBatchCoder.of().decode(new ByteArrayInputStream(blockCutShort)));
  }
}
